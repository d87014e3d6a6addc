package dev.beamline.core.run;

import dev.beamline.core.beam.ScoringPipeline;
import dev.beamline.core.beam.StageClock;
import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.scoring.Bundle;
import dev.beamline.scoring.ModelLocation;
import dev.beamline.scoring.Problem;
import dev.beamline.scoring.ScoringPolicy;
import dev.beamline.spi.PredictionTable;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Schema;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runs batch scoring: reads new files with the source plugin and settings the model was trained with
 * ({@code source.json}; {@code --set} overrides), scores them with the model's transform and predictor on
 * any runner, and writes a run directory: {@code predictions.csv} (or {@code .jsonl}), {@code rejected/}
 * and {@code run.json} (the model, the inputs' sha256 and row counts, stages, versions). The same pieces as
 * a training run: {@link PipelineExecution}, {@link ErrorBudget}, {@link RunDirectory}.
 */
public final class PredictService {
  private final PluginRegistry registry;
  private final Clock clock;

  @Inject
  public PredictService(PluginRegistry registry, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What a scoring run did. */
  public record Outcome(Path directory, long scored, long rejected) {}

  /** Scores; progress and the summary go to {@code console}. */
  public Outcome predict(PredictRequest request, PrintStream console) throws Exception {
    Instant started = clock.instant();
    Bundle bundle = bundle(request);
    String sourceType = sourceType(bundle, request);
    SourceStage source = source(bundle, sourceType, request);
    PredictionTable table = outputTable(source, sourceType, request);
    PipelineOptions options = PipelineExecution.options(request.beamArgs());
    RunDirectory dir = RunDirectory.create(request.output(), "predict-" + bundle.name().replaceAll("[^A-Za-z0-9._-]", "_"), started);
    Path staging = dir.staging();
    String runner = options.getRunner().getSimpleName();
    options.setJobName(("beamline-predict-" + dir.runId()).toLowerCase(Locale.ROOT));
    console.printf("beamline predict %s (%s) on %s -> %s%n", request.model(), bundle.directory(), runner, dir.target());

    CompletableFuture<List<Map<String, Object>>> fingerprints = PipelineExecution.fingerprint(PipelineExecution.inputs("input", sourceType, source));
    ScoringPipeline.Job job = new ScoringPipeline.Job(Map.of("input", source), readSchema(source, bundle.transform(), request.keep()), bundle,
        trainer(registry, bundle), request.policy(), request.keep(), request.jsonLines());
    PipelineExecution.Finished finished = PipelineExecution.execute(ScoringPipeline.build(job, options, staging), ScoringPipeline.STAGES,
        staging, console);
    List<Map<String, Object>> inputs = PipelineExecution.join(fingerprints);
    RunMetrics metrics = finished.metrics();
    ErrorBudget.Rejected rejected = ErrorBudget.check(List.of(new ErrorBudget.Source("input", source.locations(), request.maxRejectedFraction(),
        "pass --max-rejected-fraction to accept them")), metrics, inputs, staging);
    long scored = metrics.counter(StageClock.outName("predict"));
    Map<String, Object> problems = problems(metrics);

    Map<String, Object> model = modelRecord(bundle, request);
    Map<String, Object> written = table == null ? null : writeTable(table, request, job, bundle, model, staging, console);

    Map<String, Object> rows = new LinkedHashMap<>();
    rows.put("scored", scored);
    rows.put("rejected", rejected.total());
    rows.put("problems", problems); // rows with each problem, scored or rejected as the policy says
    new RunRecord(dir, "predict", started, clock.instant(), runner, request.beamArgs())
        .put("model", model).put("source", Map.of("type", sourceType, "overrides", InputSource.recorded(registry, sourceType, request.sourceSettings())))
        .put("policy", request.policy()).put("rows", rows).put("output", job.outputFile()).put("table", written)
        .ran(inputs, rejected, finished.stages(), Versions.all())
        .write(staging);
    dir.commit();

    console.printf(Locale.ROOT, "%nscored %,d rows%s%s -> %s%n", scored,
        rejected.total() > 0 ? String.format(Locale.ROOT, ", rejected %,d (see %s)", rejected.total(), dir.target().resolve("rejected")) : "",
        problems.isEmpty() ? "" : "; rows with a problem (scored or rejected as --on says): " + problems, dir.target().resolve(job.outputFile()));
    console.printf("run directory: %s%n", dir.target());
    return new Outcome(dir.target(), scored, rejected.total());
  }

  /** Where {@code --output-table} writes, checked before anything runs; null without it. */
  private static PredictionTable outputTable(SourceStage source, String sourceType, PredictRequest request) {
    if (request.outputTable() == null) {
      return null;
    }
    return source.predictionTable().orElseThrow(() -> new ConfigException("--output-table " + request.outputTable() + ": the rows come "
        + "from files (source '" + sourceType + "'); predictions go into a table beside the rows when they come from a database (a jdbc "
        + "source)"));
  }

  /** The model as an output table's rows name it: the registered name and version, else the run id, else its file's sha256 prefix. */
  private static String identity(Map<String, Object> model, PredictRequest request) {
    if (model.get("version") != null) {
      return new ModelLocation(request.model()).registeredName() + "/" + model.get("version");
    }
    return model.get("runId") != null ? String.valueOf(model.get("runId")) : String.valueOf(model.get("sha256")).substring(0, 16);
  }

  /**
   * Writes the predictions file into the output table, keyed by the model's identity and each row's key; what was
   * written, for {@code run.json}.
   */
  private static Map<String, Object> writeTable(PredictionTable table, PredictRequest request, ScoringPipeline.Job job, Bundle bundle,
      Map<String, Object> model, Path staging, PrintStream console) throws IOException {
    long t = System.nanoTime();
    List<PredictionTable.Column> columns = new ArrayList<>();
    Schema schema = bundle.transform().schema();
    for (String k : request.keep()) {
      columns.add(new PredictionTable.Column(k, schema.find(k).map(c -> c.type()).orElse(ColumnType.CATEGORICAL)
          == ColumnType.NUMERIC ? ColumnType.NUMERIC : ColumnType.CATEGORICAL));
    }
    columns.add(new PredictionTable.Column("label", ColumnType.NUMERIC));
    ScoringPipeline.scoreColumns(bundle.transform().label().task()).forEach(s -> columns.add(new PredictionTable.Column(s, ColumnType.NUMERIC)));
    String identity = identity(model, request);
    long n = table.write(request.outputTable(), new PredictionTable.Predictions(identity,
        columns, PredictionsFile.rows(staging.resolve(job.outputFile()), request.jsonLines(), columns)));
    double seconds = (System.nanoTime() - t) / 1e9;
    console.printf(Locale.ROOT, "wrote %,d predictions into table %s as model %s (%.1f s; a rerun replaces them)%n", n, request.outputTable(),
        identity, seconds);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", request.outputTable());
    out.put("model", identity);
    out.put("rows", n);
    out.put("seconds", Math.round(seconds * 10) / 10.0);
    return out;
  }

  /** The model of the request, after its options are checked: the policy and the columns to keep. */
  private static Bundle bundle(PredictRequest request) throws IOException {
    try {
      ScoringPolicy.parse(request.policy());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--on " + e.getMessage(), e);
    }
    Bundle bundle;
    try {
      bundle = Bundle.read(request.modelDir(), WorkerPlugins.steps());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--model " + request.model() + ": " + e.getMessage(), e);
    }
    for (String k : request.keep()) {
      if (bundle.transform().schema().position(k) < 0) {
        throw new ConfigException("--keep " + k + ": no such column; the model's columns are " + bundle.transform().schema().names());
      }
    }
    return bundle;
  }

  /** run.json's model: where it came from and what it is. */
  private static Map<String, Object> modelRecord(Bundle bundle, PredictRequest request) throws IOException {
    ModelLocation location = new ModelLocation(request.model());
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("uri", request.model());
    model.put("directory", bundle.directory().toString());
    model.put("version", location.registeredName() != null ? location.version(request.modelDir()) : null);
    model.put("runId", location.runId() != null ? location.runId() : bundle.runId());
    model.put("trainer", bundle.trainer());
    model.put("task", bundle.transform().label().task().type().name().toLowerCase(Locale.ROOT));
    model.put("classes", bundle.transform().label().task().classes());
    model.put("sha256", Fingerprint.of(bundle.directory().resolve(bundle.modelFile())).sha256());
    return model;
  }

  /**
   * The columns the input files are read with: the model's whole schema when they have it (the label then
   * goes to the output), else the schema less its label and weight columns (a file of new rows has no
   * label), else only the columns the model reads and {@code --keep} names (when the source finds columns by
   * name, e.g. a CSV header). Throws the source's error for the last, naming the column it lacks.
   */
  static Schema readSchema(SourceStage source, FeatureTransform transform, List<String> keep) throws IOException {
    Schema full = transform.schema();
    Set<String> optional = new LinkedHashSet<>();
    if (transform.label() != null && transform.label().column() != null) {
      optional.add(transform.label().column());
    }
    if (transform.weightColumn() != null) {
      optional.add(transform.weightColumn());
    }
    Set<String> needed = new LinkedHashSet<>(keep);
    transform.chains().forEach(c -> needed.add(c.column()));
    List<Schema> candidates = new ArrayList<>(List.of(full));
    for (Schema s : List.of(only(full, c -> !optional.contains(c)), only(full, needed::contains))) {
      if (!candidates.contains(s)) {
        candidates.add(s);
      }
    }
    ConfigException last = null;
    for (Schema candidate : candidates) {
      try {
        source.checkSchema(candidate);
        return candidate;
      } catch (ConfigException e) {
        last = e;
      }
    }
    throw new ConfigException(last.getMessage() + " (the model reads " + needed + "; the label and weight columns " + optional
        + " may be absent)", last);
  }

  private static Schema only(Schema schema, java.util.function.Predicate<String> keep) {
    return new Schema(schema.columns().stream().filter(c -> keep.test(c.name())).toList());
  }

  /** The model's trainer, whose predictor scores from the model alone ({@link dev.beamline.spi.TrainerFactory#predictor}). */
  static PlannedStage trainer(PluginRegistry registry, Bundle bundle) {
    registry.trainer(bundle.trainer(), "the model's trainer"); // installed here, or a clear error now
    return new PlannedStage(bundle.trainer(), dev.beamline.spi.config.ConfigSpec.of().validate("trainer", Map.of()));
  }

  /** How many rows had each problem (scored or rejected), from the transform stage's counters. */
  private static Map<String, Object> problems(RunMetrics metrics) {
    Map<String, Object> problems = new LinkedHashMap<>();
    for (Problem p : Problem.values()) {
      long n = metrics.counter("issues." + p.label());
      if (n > 0) {
        problems.put(p.label(), n);
      }
    }
    return problems;
  }

  private static String sourceType(Bundle bundle, PredictRequest request) {
    return InputSource.type(bundle.sourceType(), request.sourceSettings(), "--model " + request.model() + ": the model does not record "
        + "its source (no source.json; trained by an older Beamline); name it with --set source.type=csv and its settings with "
        + "--set source.KEY=VALUE");
  }

  /** The model's source plugin on the input files, its recorded settings changed by {@code --set source.KEY=VALUE}. */
  private SourceStage source(Bundle bundle, String type, PredictRequest request) {
    return InputSource.open(registry, type, bundle.sourceType(), bundle.sourceSettings(), request.sourceSettings(), request.inputs(),
        "the input's source settings (the model's, with --set source.KEY=VALUE)");
  }
}
