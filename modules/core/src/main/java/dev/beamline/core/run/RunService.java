package dev.beamline.core.run;

import dev.beamline.core.beam.ComputeStatistics;
import dev.beamline.core.beam.MetricsFile;
import dev.beamline.report.RunReport;
import dev.beamline.core.beam.Split;
import dev.beamline.core.beam.TrainingPipeline;
import dev.beamline.core.json.Json;
import dev.beamline.core.plan.Planner;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plan.RunPlan.PlannedSource;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.core.tracking.LiveTracking;
import dev.beamline.spi.tracking.TrackingEvent;
import java.net.URI;
import dev.beamline.core.spec.PipelineSpec;
import dev.beamline.core.spec.SpecParser;
import dev.beamline.core.spec.DataSchemaFile;
import dev.beamline.statistics.DataSchema;
import dev.beamline.features.FeatureTransform;
import dev.beamline.features.TransformJson;
import dev.beamline.spi.data.Column;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runs a pipeline end to end: parse and plan the spec, fingerprint the inputs, run the Beam pipeline,
 * check the error budgets, write the model bundle and provenance, and publish the run directory.
 */
public final class RunService {
  private final Planner planner;
  private final PluginRegistry registry;
  private final Clock clock;

  /** @param planner resolves specs; {@code registry} has the trackers; {@code clock} times runs */
  @Inject
  public RunService(Planner planner, PluginRegistry registry, Clock clock) {
    this.planner = Objects.requireNonNull(planner, "planner");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Parses and plans a spec without running it. */
  public RunPlan validate(Path spec, List<String> overrides) {
    PipelineSpec parsed = SpecParser.read(spec, overrides);
    RunPlan plan = planner.plan(parsed);
    dataSchema(parsed);
    return plan;
  }

  /**
   * The pipeline's data schema, or null: read when the run starts, so that a mistake in it stops the run
   * before it starts, not after training.
   */
  private static DataSchema dataSchema(PipelineSpec spec) {
    return spec.validationSchema() == null ? null : DataSchemaFile.read(spec.validationSchema());
  }

  /** Runs a pipeline; progress and the summary go to {@code console}. */
  public RunOutcome run(RunRequest request, PrintStream console) throws Exception {
    Instant started = clock.instant();
    PipelineSpec spec = SpecParser.read(request.spec(), request.overrides());
    PipelineOptions options = PipelineExecution.options(request.beamArgs());
    RunPlan plan = planner.plan(spec);
    PipelineExecution.forSearch(options, request.beamArgs(), plan.tuning());
    TrainingWorkers workers = TrainingWorkers.resolve(plan, registry, options, request.beamArgs(), console);
    DataSchema dataSchema = dataSchema(spec);
    if (request.requireBlessing() && spec.blessing() == null) {
      throw new dev.beamline.spi.config.ConfigException("--require-blessing: " + request.spec()
          + " has no blessing section; add one, e.g. blessing: {thresholds: {auc: {min: 0.9}}}");
    }
    RunDirectory dir = RunDirectory.create(request.output(), spec.name(), started);
    Path staging = dir.staging();
    String runner = options.getRunner().getSimpleName();
    options.setJobName(("beamline-" + spec.name() + "-" + dir.runId()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
    console.printf("beamline run %s (%s) on %s -> %s%n", spec.name(), request.spec(), runner, dir.target());
    URI target = RunTracking.target(request.trackingUri(), System.getenv());
    LiveTracking tracking = RunTracking.start(plan, registry, target, staging);
    try (TrainingWorkers.Running group = workers.start(console)) {
      tracking.emit(RunTracking.runStarted(plan, request.spec(), dir.runId(), runner, started));
      for (TrackingEvent e : RunTracking.params(SecretMasks.mask(spec.resolved(), SecretMasks.secretPaths(plan)))) {
        tracking.emit(e);
      }
      Blessing.Champion champion = Blessing.champion(spec, plan, registry, target, request.modelCache(), console);
      RunOutcome outcome = run(request, spec, plan, dataSchema, champion, group.group(), options, dir, runner, started, tracking,
          console);
      printTracking(tracking.finish(TRACKING_WAIT), dir.target(), console);
      dir.commit();
      console.printf("run directory: %s%n", dir.target());
      return outcome;
    } catch (Exception | Error e) {
      try {
        tracking.emit(new TrackingEvent.RunEnded("FAILED", clock.millis(), String.valueOf(e.getMessage())));
        printTracking(tracking.finish(TRACKING_WAIT), staging, console);
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static final Duration TRACKING_WAIT = Duration.ofMinutes(5);

  private RunOutcome run(RunRequest request, PipelineSpec spec, RunPlan plan, DataSchema dataSchema, Blessing.Champion champion,
      dev.beamline.core.beam.TrainingGroup group, PipelineOptions options, RunDirectory dir, String runner, Instant started, LiveTracking tracking, PrintStream console) throws Exception {
    Path staging = dir.staging();

    // The inputs' sha256 is read on a thread of its own while the pipeline runs (it reads every byte once).
    CompletableFuture<List<Map<String, Object>>> fingerprints = PipelineExecution.fingerprint(inputsOf(plan));
    writeSchema(plan, staging);

    PipelineExecution.Finished finished =
        PipelineExecution.execute(TrainingPipeline.build(plan, options, staging, champion == null ? null : champion.scoring(registry), group),
            TrainingPipeline.stages(plan), staging, console, plan.tuning() == null ? out -> {} : new SearchReport(plan.tuning(), staging,
                (trial, rung, folds) -> tracking.emit(RunTracking.trial(plan, dir.runId(), trial, rung, folds, started.toEpochMilli(),
                    clock.millis()))));
    List<Map<String, Object>> inputs = PipelineExecution.join(fingerprints);
    RunMetrics metrics = finished.metrics();
    ErrorBudget.Rejected rejected = checkBudgets(plan, metrics, inputs, staging);
    TrainedBundle model = bundleModel(plan, staging);
    Map<String, Map<String, Double>> splitMetrics = MetricsFile.splits(staging.resolve(MetricsFile.FILE));
    DataChecks.Result checks = spec.statistics().enabled() ? DataChecks.run(spec.name(), staging, spec.validationSchema(), dataSchema)
        : new DataChecks.Result(null, List.of());
    Blessing blessing = spec.blessing() == null ? null : Blessing.judge(spec.blessing(), splitMetrics.get(Split.TEST.label()), champion,
        MetricsFile.model(staging.resolve(MetricsFile.FILE), TrainingPipeline.CHAMPION), checks.failed());
    if (blessing != null) { // the champion's metrics move into the blessing they were computed for
      MetricsFile.put(staging.resolve(MetricsFile.FILE), TrainingPipeline.CHAMPION, null);
      MetricsFile.put(staging.resolve(MetricsFile.FILE), "blessing", blessing.toJson());
    }
    Instant ended = clock.instant();
    Map<String, Object> search = plan.tuning() == null ? null : SearchReport.read(staging);
    if (search != null) {
      SearchReport.removeTaskReports(staging); // trials.json holds what they said
    }
    RunRecord record = record(request, spec, plan, dir, started, ended, runner, metrics, model).put("validation", checks.toJson());
    if (search != null) {
      record.put("tuning", SearchReport.runJson(search));
    }
    record.ran(inputs, rejected, finished.stages(), model.versions()).write(staging);
    if (spec.report()) {
      drawReport(staging, console);
    }
    if (search != null) {
      for (TrackingEvent e : RunTracking.searchResult(search, ended.toEpochMilli())) {
        tracking.emit(e);
      }
    }
    emitResults(tracking, spec, plan, dir, staging, splitMetrics, inputs, ended, checks.failed(), blessing);

    if (search != null) {
      SearchReport.printTop(search, plan.tuning().spec(), 5, console);
    }
    MetricsReport.print(MetricsFile.read(staging.resolve(MetricsFile.FILE)), console);
    if (blessing != null) {
      console.printf("blessed: %s%n", blessing.blessed() ? "yes" : "NO");
      blessing.reasons().forEach(r -> console.printf("  %s%n", r));
      String challenger = "@" + spec.tracking().alias();
      String championAlias = "@" + spec.blessing().championAlias();
      console.printf("  %s%n", !spec.tracking().register() || checks.failed() ? "the model is not registered"
          : blessing.movesChampion() ? "the new version gets " + challenger + " and " + championAlias
          : "the new version gets " + challenger + "; " + championAlias + " stays where it is");
    }
    if (!checks.anomalies().isEmpty()) {
      console.printf("data checked against %s: %d anomalies%s%n", checks.schema(), checks.anomalies().size(),
          checks.failed() ? "; the model is not registered" : "");
      DataChecks.print(checks.anomalies(), console);
    }
    if (rejected.total() > 0) {
      console.printf("%d rows rejected (%s); see %s%n", rejected.total(), rejected.bySource(), dir.target().resolve("rejected"));
    }
    return new RunOutcome(dir.target(), splitMetrics, checks.anomalies(), blessing);
  }

  /**
   * {@code beamline infer-schema}: reads the pipeline's sources with the statistics stage alone (ingest, split,
   * statistics: the training run's pieces, no training), and writes the data schema the training split
   * suggests to {@code output}. Returns the schema.
   */
  public DataSchema inferSchema(Path specFile, List<String> overrides, List<String> beamArgs, Path output, PrintStream console)
      throws Exception {
    PipelineSpec spec = SpecParser.read(specFile, overrides);
    PipelineOptions options = PipelineExecution.options(beamArgs);
    RunPlan plan = planner.plan(spec);
    Path staging = Files.createTempDirectory("beamline-infer-schema-");
    try {
      console.printf("beamline infer-schema %s (%s) on %s%n", spec.name(), specFile, options.getRunner().getSimpleName());
      PipelineExecution.execute(TrainingPipeline.statisticsOnly(plan, options, staging), TrainingPipeline.STATISTICS_STAGES, staging,
          console);
      Map<String, Object> train = ComputeStatistics.read(staging.resolve(ComputeStatistics.FILE)).get("train");
      DataSchema schema = DataSchema.infer(train);
      DataSchemaFile.write(schema, output, "The data schema of pipeline " + spec.name() + " (" + specFile.getFileName() + "), inferred from "
          + train.get("rows") + " rows of its training split by beamline infer-schema.\nReview it, then name it in the pipeline: "
          + "validation: {schema: " + output.getFileName() + "}");
      console.printf("data schema: %s (%d columns)%n", output, schema.columns().size());
      return schema;
    } finally {
      PipelineExecution.deleteTree(staging);
    }
  }

  /**
   * The run's pictures and {@code report.html} ({@link RunReport}); a picture that cannot be drawn is said, and
   * does not fail a run whose model is already made.
   */
  private static void drawReport(Path staging, PrintStream console) {
    long t = System.nanoTime();
    try {
      List<String> files = RunReport.write(staging);
      console.printf(Locale.ROOT, "report: %s, %d pictures in %s/ (%.1f s)%n", RunReport.PAGE, files.size(), RunReport.DIRECTORY,
          (System.nanoTime() - t) / 1e9);
    } catch (Exception | LinkageError e) {
      console.printf("report: not drawn (%s); the run's files are complete without it%n", e);
    }
  }

  /** Counts every source's read and rejected rows and checks each against its {@code maxRejectedFraction}. */
  private static ErrorBudget.Rejected checkBudgets(RunPlan plan, RunMetrics metrics, List<Map<String, Object>> inputs, Path staging) {
    List<ErrorBudget.Source> budgets = new ArrayList<>();
    for (PlannedSource s : plan.sources()) {
      budgets.add(new ErrorBudget.Source(s.name(), s.stage().locations(), s.maxRejectedFraction(),
          "raise sources." + s.name() + ".maxRejectedFraction to accept them"));
    }
    return ErrorBudget.check(budgets, metrics, inputs, staging);
  }

  /** What the trainer wrote ({@code trainer.json}) and the fitted transform, once the model bundle is complete. */
  private record TrainedBundle(Map<String, Object> trainer, FeatureTransform transform, Map<String, Object> flavorProperties) {
    /** Beamline's, Beam's and Java's versions, and the trainer library's. */
    Map<String, Object> versions() {
      Map<String, Object> versions = Versions.all();
      versions.put("xgboost", flavorProperties.getOrDefault("xgb_version", "n/a"));
      return versions;
    }
  }

  /** Completes the model bundle the pipeline staged (MLmodel, the Python module, signature, source): {@link ModelBundle}. */
  @SuppressWarnings("unchecked")
  private TrainedBundle bundleModel(RunPlan plan, Path staging) throws IOException {
    Path modelDir = staging.resolve("model");
    Map<String, Object> trainer = Json.parseObject(Files.readString(modelDir.resolve("trainer.json")));
    FeatureTransform transform = TransformJson.read(Files.readString(modelDir.resolve("transform.json")), WorkerPlugins.steps());
    Map<String, Object> flavorProperties = (Map<String, Object>) trainer.get("flavorProperties");
    ModelBundle.write(modelDir, String.valueOf(trainer.get("file")), String.valueOf(trainer.get("flavor")), flavorProperties,
        transform, ModelBundle.sourceOf(plan), Versions.beamline(), clock.instant());
    return new TrainedBundle(trainer, transform, flavorProperties);
  }

  /** A training run's {@code run.json}: the spec (secrets masked), seed, splits, schema and model in the frame every run has. */
  private static RunRecord record(RunRequest request, PipelineSpec spec, RunPlan plan, RunDirectory dir, Instant started, Instant ended,
      String runner, RunMetrics metrics, TrainedBundle model) throws IOException {
    Map<String, Object> specInfo = new LinkedHashMap<>();
    specInfo.put("file", request.spec().toAbsolutePath().normalize().toString());
    specInfo.put("sha256", Fingerprint.of(request.spec()).sha256());
    Set<String> secrets = SecretMasks.secretPaths(plan);
    specInfo.put("overrides", SecretMasks.maskOverrides(request.overrides(), secrets));
    specInfo.put("resolved", SecretMasks.mask(spec.resolved(), secrets));
    Map<String, Object> splits = new LinkedHashMap<>();
    for (Split s : Split.values()) {
      splits.put(s.label(), metrics.counter(TrainingPipeline.splitCounter(s)));
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("inferred", plan.schemaInferred());
    schema.put("file", "schema.json");
    Map<String, Object> modelInfo = new LinkedHashMap<>(model.trainer());
    modelInfo.put("features", model.transform().width());
    modelInfo.put("task", model.transform().label().task().type().name().toLowerCase(Locale.ROOT));
    modelInfo.put("classes", model.transform().label().task().classes());
    return new RunRecord(dir, "train", started, ended, runner, request.beamArgs())
        .put("pipeline", spec.name()).put("spec", specInfo).put("seed", spec.seed()).put("splits", splits).put("schema", schema)
        .put("model", modelInfo);
  }

  /** The run's results as tracking events: metrics and curves, inputs, artifacts, the registration, the end. */
  private static void emitResults(LiveTracking tracking, PipelineSpec spec, RunPlan plan, RunDirectory dir, Path staging,
      Map<String, Map<String, Double>> splitMetrics, List<Map<String, Object>> inputs, Instant ended, boolean dataFailed, Blessing blessing)
      throws IOException {
    for (TrackingEvent e : RunTracking.metrics(MetricsFile.read(staging.resolve(MetricsFile.FILE)), staging.resolve("history.json"), ended)) {
      tracking.emit(e);
    }
    tracking.emit(RunTracking.inputs(inputs, plan.schema()));
    tracking.emit(RunTracking.artifacts(staging));
    if (blessing != null) {
      tracking.emit(new TrackingEvent.TagsSet(blessing.tags()));
    }
    if (spec.tracking().register() && !dataFailed) {
      tracking.emit(RunTracking.register(spec.tracking(), splitMetrics, dir.runId(), blessing,
          spec.blessing() == null ? null : spec.blessing().championAlias()));
    }
    tracking.emit(dataFailed ? new TrackingEvent.RunEnded("FAILED", ended.toEpochMilli(), "the data failed its schema; see " + DataChecks.ANOMALIES)
        : new TrackingEvent.RunEnded("FINISHED", ended.toEpochMilli(), null));
  }

  /** Every input of the plan: source name, type and path (or location). */
  private static List<PipelineExecution.Input> inputsOf(RunPlan plan) {
    List<PipelineExecution.Input> out = new ArrayList<>();
    for (PlannedSource s : plan.sources()) {
      out.addAll(PipelineExecution.inputs(s.name(), s.type(), s.stage()));
    }
    return out;
  }

  /** Says where the run's tracking went, and how to deliver what did not. */
  static void printTracking(LiveTracking.Summary s, Path runDirectory, PrintStream console) {
    if (s.target() == null) {
      console.printf("tracking: %d events journaled in %s (no tracking URI; deliver them with: beamline tracking sync --to URI %s)%n",
          s.total(), runDirectory.resolve(dev.beamline.core.tracking.Journal.FILE), runDirectory);
    } else if (s.outcome().problem() == null) {
      console.printf("tracking: %d events delivered to %s%s%n", s.total(), s.target(),
          s.display().isEmpty() ? "" : "; " + String.join("; ", s.display().values()));
    } else {
      console.printf("tracking: %s: %s; %d of %d events are kept in the journal; deliver them with: beamline tracking sync --to %s %s%n",
          s.target(), s.outcome().problem(), s.outcome().pending(), s.total(), s.target(), runDirectory);
    }
  }

  private static void writeSchema(RunPlan plan, Path staging) throws IOException {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("inferred", plan.schemaInferred());
    List<Map<String, Object>> columns = new ArrayList<>();
    for (Column c : plan.schema().columns()) {
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("name", c.name());
      col.put("type", c.type().name().toLowerCase(Locale.ROOT));
      if (c.dimension() > 0) {
        col.put("dimension", c.dimension());
      }
      columns.add(col);
    }
    schema.put("columns", columns);
    Files.writeString(staging.resolve("schema.json"), Json.pretty(schema));
  }
}
