package dev.beamline.core.run;

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
    return planner.plan(SpecParser.read(spec, overrides));
  }

  /** Runs a pipeline; progress and the summary go to {@code console}. */
  public RunOutcome run(RunRequest request, PrintStream console) throws Exception {
    Instant started = clock.instant();
    PipelineSpec spec = SpecParser.read(request.spec(), request.overrides());
    PipelineOptions options = PipelineExecution.options(request.beamArgs());
    RunPlan plan = planner.plan(spec);
    RunDirectory dir = RunDirectory.create(request.output(), spec.name(), started);
    Path staging = dir.staging();
    String runner = options.getRunner().getSimpleName();
    options.setJobName(("beamline-" + spec.name() + "-" + dir.runId()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-"));
    console.printf("beamline run %s (%s) on %s -> %s%n", spec.name(), request.spec(), runner, dir.target());
    URI target = RunTracking.target(request.trackingUri(), System.getenv());
    LiveTracking tracking = RunTracking.start(plan, registry, target, staging);
    try {
      tracking.emit(RunTracking.runStarted(plan, request.spec(), dir.runId(), runner, started));
      for (TrackingEvent e : RunTracking.params(SecretMasks.mask(spec.resolved(), SecretMasks.secretPaths(plan)))) {
        tracking.emit(e);
      }
      RunOutcome outcome = run(request, spec, plan, options, dir, runner, started, tracking, console);
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

  private RunOutcome run(RunRequest request, PipelineSpec spec, RunPlan plan, PipelineOptions options, RunDirectory dir,
      String runner, Instant started, LiveTracking tracking, PrintStream console) throws Exception {
    Path staging = dir.staging();

    // The inputs' sha256 is read on a thread of its own while the pipeline runs (it reads every byte once).
    CompletableFuture<List<Map<String, Object>>> fingerprints = PipelineExecution.fingerprint(inputsOf(plan));
    writeSchema(plan, staging);

    PipelineExecution.Finished finished =
        PipelineExecution.execute(TrainingPipeline.build(plan, options, staging), TrainingPipeline.STAGES, staging, console);
    List<Map<String, Object>> inputs = PipelineExecution.join(fingerprints);
    RunMetrics metrics = finished.metrics();
    List<StageReport.Stage> stages = finished.stages();

    // Counts and error budgets.
    List<ErrorBudget.Source> budgets = new ArrayList<>();
    for (PlannedSource s : plan.sources()) {
      budgets.add(new ErrorBudget.Source(s.name(), s.stage().inputs(), s.maxRejectedFraction(),
          "raise sources." + s.name() + ".maxRejectedFraction to accept them"));
    }
    ErrorBudget.Rejected counted = ErrorBudget.check(budgets, metrics, inputs, staging);
    Map<String, Object> rejectedBySource = counted.bySource();
    long rejectedTotal = counted.total();

    // The model bundle.
    Path modelDir = staging.resolve("model");
    Map<String, Object> trainer = Json.parseObject(Files.readString(modelDir.resolve("trainer.json")));
    FeatureTransform transform = TransformJson.read(Files.readString(modelDir.resolve("transform.json")), WorkerPlugins.steps());
    @SuppressWarnings("unchecked")
    Map<String, Object> flavorProperties = (Map<String, Object>) trainer.get("flavorProperties");
    ModelBundle.write(modelDir, String.valueOf(trainer.get("file")), String.valueOf(trainer.get("flavor")), flavorProperties,
        transform, ModelBundle.sourceOf(plan), Versions.beamline(), clock.instant());

    Map<String, Map<String, Double>> splitMetrics = readMetrics(staging.resolve("metrics.json"));
    Instant ended = clock.instant();
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("runId", dir.runId());
    run.put("pipeline", spec.name());
    run.put("status", "FINISHED");
    run.put("startTime", started.toString());
    run.put("endTime", ended.toString());
    run.put("durationSeconds", Duration.between(started, ended).toMillis() / 1000.0);
    Map<String, Object> specInfo = new LinkedHashMap<>();
    specInfo.put("file", request.spec().toAbsolutePath().normalize().toString());
    specInfo.put("sha256", Fingerprint.of(request.spec()).sha256());
    Set<String> secrets = SecretMasks.secretPaths(plan);
    specInfo.put("overrides", SecretMasks.maskOverrides(request.overrides(), secrets));
    specInfo.put("resolved", SecretMasks.mask(spec.resolved(), secrets));
    run.put("spec", specInfo);
    run.put("seed", spec.seed());
    run.put("runner", runner);
    run.put("beamArgs", request.beamArgs());
    run.put("inputs", inputs);
    Map<String, Object> splits = new LinkedHashMap<>();
    for (Split s : Split.values()) {
      splits.put(s.label(), metrics.counter(TrainingPipeline.splitCounter(s)));
    }
    run.put("splits", splits);
    Map<String, Object> rejected = new LinkedHashMap<>();
    rejected.put("total", rejectedTotal);
    rejected.put("bySource", rejectedBySource);
    rejected.put("directory", "rejected");
    run.put("rejected", rejected);
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("inferred", plan.schemaInferred());
    schema.put("file", "schema.json");
    run.put("schema", schema);
    Map<String, Object> model = new LinkedHashMap<>(trainer);
    model.put("features", transform.width());
    model.put("task", transform.label().task().type().name().toLowerCase(Locale.ROOT));
    model.put("classes", transform.label().task().classes());
    run.put("model", model);
    run.put("stages", StageReport.toJson(stages));
    Map<String, Object> versions = Versions.all();
    versions.put("xgboost", flavorProperties.getOrDefault("xgb_version", "n/a"));
    run.put("versions", versions);
    Files.writeString(staging.resolve("run.json"), Json.pretty(run));

    for (TrackingEvent e : RunTracking.metrics(splitMetrics, staging.resolve("history.json"), ended)) {
      tracking.emit(e);
    }
    tracking.emit(RunTracking.inputs(inputs, plan));
    tracking.emit(RunTracking.artifacts(staging));
    if (spec.tracking().register()) {
      tracking.emit(RunTracking.register(spec.tracking(), splitMetrics, dir.runId()));
    }
    tracking.emit(new TrackingEvent.RunEnded("FINISHED", ended.toEpochMilli(), null));

    printMetrics(splitMetrics, console);
    if (rejectedTotal > 0) {
      console.printf("%d rows rejected (%s); see %s%n", rejectedTotal, rejectedBySource, dir.target().resolve("rejected"));
    }
    return new RunOutcome(dir.target(), splitMetrics);
  }

  /** Every input file of the plan: source name, type and path. */
  private static List<PipelineExecution.Input> inputsOf(RunPlan plan) {
    List<PipelineExecution.Input> out = new ArrayList<>();
    for (PlannedSource s : plan.sources()) {
      for (Path p : s.stage().inputs()) {
        out.add(new PipelineExecution.Input(s.name(), s.type(), p));
      }
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

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Double>> readMetrics(Path file) throws IOException {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    Json.parseObject(Files.readString(file)).forEach((split, values) -> {
      Map<String, Double> m = new LinkedHashMap<>();
      ((Map<String, Object>) values).forEach((k, v) -> m.put(k, v == null ? Double.NaN : ((Number) v).doubleValue()));
      out.put(split, m);
    });
    return out;
  }

  private static void printMetrics(Map<String, Map<String, Double>> metrics, PrintStream console) {
    List<String> names = new ArrayList<>();
    metrics.values().forEach(m -> m.keySet().forEach(k -> {
      if (!names.contains(k)) {
        names.add(k);
      }
    }));
    console.printf("%n%-10s", "metric");
    metrics.keySet().forEach(s -> console.printf(" %12s", s));
    console.println();
    for (String name : names) {
      console.printf("%-10s", name);
      for (Map<String, Double> m : metrics.values()) {
        Double v = m.get(name);
        console.printf(Locale.ROOT, " %12s", v == null || v.isNaN() ? "-" : name.equals("rows") ? String.format(Locale.ROOT, "%,.0f", v)
            : String.format(Locale.ROOT, "%.6f", v));
      }
      console.println();
    }
    console.println();
  }
}
