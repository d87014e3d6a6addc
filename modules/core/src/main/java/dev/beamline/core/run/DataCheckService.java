package dev.beamline.core.run;

import dev.beamline.core.beam.ComputeStatistics;
import dev.beamline.core.beam.DataCheckPipeline;
import dev.beamline.core.json.Json;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.spec.DataSchemaFile;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Schema;
import dev.beamline.statistics.Anomaly;
import dev.beamline.statistics.DataSchema;
import dev.beamline.statistics.Drift;
import dev.beamline.statistics.StatisticsOptions;
import dev.beamline.statistics.Validation;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code beamline validate-data}: reads new files the way a reference run read its data (its source plugin and
 * settings, {@code --set source.KEY=VALUE} changing them), computes their statistics on any runner, and checks
 * them against a data schema (the one given, else the one the reference proposed) and for drift from the
 * reference's training split. Writes a run directory: {@code statistics.json}, {@code anomalies.json} (with
 * every column's drift), {@code rejected/} and {@code run.json}. The training run's pieces:
 * {@link InputSource}, {@link PipelineExecution}, {@link DataChecks}, {@link RunDirectory}.
 */
public final class DataCheckService {
  private final PluginRegistry registry;
  private final Clock clock;

  @Inject
  public DataCheckService(PluginRegistry registry, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A data check.
   *
   * @param reference a run directory, or a {@code statistics.json}
   * @param referenceDir where the reference is on disk (a downloaded run for {@code runs:/ID})
   * @param inputs the files to check
   * @param schema the data schema, or null for the reference's
   * @param sourceSettings {@code KEY=VALUE} changes to the reference's source settings
   * @param output the run directory, or null for the default
   * @param beamArgs Beam options
   */
  public record Request(String reference, Path referenceDir, List<Path> inputs, Path schema, List<String> sourceSettings, Path output,
      List<String> beamArgs) {}

  /** What the check found. */
  public record Outcome(Path directory, List<Anomaly> anomalies) {
    /** Whether an anomaly is an error: exit code 3. */
    public boolean failed() {
      return Validation.hasErrors(anomalies);
    }
  }

  /** What the check compares against. */
  private record Reference(Map<String, Object> statistics, Schema schema, DataSchema dataSchema, String sourceType,
      Map<String, Object> sourceSettings) {}

  /** Checks; progress and the findings go to {@code console}. */
  public Outcome check(Request request, PrintStream console) throws Exception {
    Instant started = clock.instant();
    Reference ref = reference(request);
    String type = InputSource.type(ref.sourceType(), request.sourceSettings(), "--reference " + request.reference()
        + ": it does not record its source; name it with --set source.type=csv and its settings with --set source.KEY=VALUE");
    SourceStage source = InputSource.open(registry, type, ref.sourceType(), ref.sourceSettings(), request.sourceSettings(), request.inputs(),
        "the input's source settings (the reference's, with --set source.KEY=VALUE)");
    Schema present = InputSource.presentColumns(source, ref.schema());
    PipelineOptions options = PipelineExecution.options(request.beamArgs());
    RunDirectory dir = RunDirectory.create(request.output(), "validate-data", started);
    Path staging = dir.staging();
    String runner = options.getRunner().getSimpleName();
    options.setJobName(("beamline-validate-data-" + dir.runId()).toLowerCase(Locale.ROOT));
    console.printf("beamline validate-data %s against %s on %s -> %s%n", request.inputs(), request.reference(), runner, dir.target());

    CompletableFuture<List<Map<String, Object>>> fingerprints = PipelineExecution.fingerprint(PipelineExecution.inputs("input", type, source));
    PipelineExecution.Finished finished = PipelineExecution.execute(
        DataCheckPipeline.build(source, present, StatisticsOptions.DEFAULT, options, staging), DataCheckPipeline.STAGES, staging, console);
    List<Map<String, Object>> inputs = PipelineExecution.join(fingerprints);
    ErrorBudget.Rejected rejected = ErrorBudget.check(List.of(new ErrorBudget.Source("input", source.locations(), 1.0, "")),
        finished.metrics(), inputs, staging);

    Map<String, Object> current = ComputeStatistics.read(staging.resolve(ComputeStatistics.FILE)).get(DataCheckPipeline.DATASET);
    List<Anomaly> anomalies = new ArrayList<>(Validation.check(ref.dataSchema(), DataCheckPipeline.DATASET, current));
    Map<String, Drift.Measure> drift = new LinkedHashMap<>();
    anomalies.addAll(Validation.drift(ref.dataSchema(), DataCheckPipeline.DATASET, ref.statistics(), current, drift));
    Path schemaFile = request.schema() != null ? request.schema() : Path.of(request.reference());
    DataChecks.writeReport(anomalies, drift, schemaFile, staging.resolve(DataChecks.ANOMALIES));

    new RunRecord(dir, "validate", started, clock.instant(), runner, request.beamArgs())
        .put("reference", request.reference()).put("schema", request.schema() == null ? "the reference's" : request.schema().toString())
        .put("source", Map.of("type", type, "overrides", InputSource.recorded(registry, type, request.sourceSettings())))
        .put("validation", new DataChecks.Result(schemaFile, anomalies).toJson())
        .ran(inputs, rejected, finished.stages(), Versions.all()).write(staging);
    dir.commit();

    long errors = anomalies.stream().filter(a -> a.severity() == Anomaly.Severity.ERROR).count();
    console.printf(Locale.ROOT, "%n%,d rows checked: %d errors, %d warnings%n", ((Number) current.get("rows")).longValue(), errors,
        anomalies.size() - errors);
    DataChecks.print(anomalies, console);
    console.printf("run directory: %s%n", dir.target());
    return new Outcome(dir.target(), anomalies);
  }

  /** The reference's training statistics, schema, data schema and source. */
  @SuppressWarnings("unchecked")
  private Reference reference(Request request) throws IOException {
    Path at = request.referenceDir();
    Path statisticsFile = Files.isDirectory(at) ? at.resolve(ComputeStatistics.FILE) : at;
    if (!Files.isRegularFile(statisticsFile)) {
      throw new ConfigException("--reference " + request.reference() + ": no " + statisticsFile.getFileName() + " there; give a training run "
          + "directory (with statistics, i.e. not statistics.enabled: false), its statistics.json, or runs:/<run_id>");
    }
    Map<String, Map<String, Object>> datasets;
    try {
      datasets = ComputeStatistics.read(statisticsFile);
    } catch (ConfigException e) {
      throw new ConfigException("--reference " + e.getMessage(), e);
    }
    Map<String, Object> statistics = datasets.containsKey("train") ? datasets.get("train") : datasets.values().iterator().next();
    Path runDir = Files.isDirectory(at) ? at : null;
    Schema schema = runDir != null && Files.isRegularFile(runDir.resolve("schema.json")) ? schemaJson(runDir.resolve("schema.json"))
        : schemaOf(statistics, statisticsFile);
    DataSchema dataSchema;
    if (request.schema() != null) {
      dataSchema = DataSchemaFile.read(request.schema());
    } else if (runDir != null && Files.isRegularFile(runDir.resolve(DataChecks.SCHEMA))) {
      dataSchema = DataSchemaFile.read(runDir.resolve(DataChecks.SCHEMA));
    } else {
      dataSchema = DataSchema.infer(statistics);
    }
    String type = null;
    Map<String, Object> settings = Map.of();
    Path sourceJson = runDir == null ? null : runDir.resolve("model").resolve("source.json");
    if (sourceJson != null && Files.isRegularFile(sourceJson)) {
      Map<String, Object> s = Json.parseObject(Files.readString(sourceJson));
      type = (String) s.get("type");
      settings = (Map<String, Object>) s.getOrDefault("settings", Map.of());
    }
    return new Reference(statistics, schema, dataSchema, type, settings);
  }

  @SuppressWarnings("unchecked")
  private static Schema schemaJson(Path file) throws IOException {
    List<Column> columns = new ArrayList<>();
    for (Map<String, Object> c : (List<Map<String, Object>>) Json.parseObject(Files.readString(file)).get("columns")) {
      ColumnType t = ColumnType.valueOf(((String) c.get("type")).toUpperCase(Locale.ROOT));
      columns.add(new Column((String) c.get("name"), t, c.get("dimension") instanceof Number n ? n.intValue() : 0));
    }
    return new Schema(columns);
  }

  /** The columns a statistics summary describes; sparse ones need the run directory's schema.json (their dimension). */
  @SuppressWarnings("unchecked")
  private static Schema schemaOf(Map<String, Object> statistics, Path file) {
    List<Column> columns = new ArrayList<>();
    ((Map<String, Object>) statistics.get("columns")).forEach((name, value) -> {
      String type = (String) ((Map<String, Object>) value).get("type");
      switch (type) {
        case "numeric" -> columns.add(Column.numeric(name));
        case "categorical" -> columns.add(Column.categorical(name));
        default -> throw new ConfigException("--reference " + file + ": column '" + name + "' is " + type
            + "; give the run directory, whose schema.json has its dimension");
      }
    });
    return new Schema(columns);
  }
}
