package dev.beamline.core.run;

import dev.beamline.core.beam.ExampleFile;
import dev.beamline.core.beam.Split;
import dev.beamline.core.beam.StageClock;
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
import dev.beamline.spi.config.ConfigException;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline end to end: parse and plan the spec, fingerprint the inputs, run the Beam pipeline,
 * check the error budgets, write the model bundle and provenance, and publish the run directory.
 */
public final class RunService {
  private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
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
    PipelineOptions options = options(request.beamArgs());
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
    CompletableFuture<List<Map<String, Object>>> fingerprints = fingerprint(plan);
    writeSchema(plan, staging);

    Pipeline pipeline = TrainingPipeline.build(plan, options, staging);
    long pipelineStart = System.currentTimeMillis();
    PipelineResult result;
    Set<String> printedLive = Set.of();
    try {
      result = pipeline.run();
      printedLive = followProgress(result, pipelineStart, console);
      result.waitUntilFinish();
    } catch (RuntimeException e) {
      console.printf("run failed; partial output left in %s%n", staging);
      throw e;
    } finally {
      deleteExamples(staging);
    }
    if (result.getState() != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + result.getState() + "; partial output in " + staging);
    }
    List<Map<String, Object>> inputs = join(fingerprints);
    RunMetrics metrics = RunMetrics.of(result);
    List<StageReport.Stage> stages = StageReport.of(metrics, pipelineStart);
    Set<String> live = printedLive;
    printStages(stages.stream().filter(st -> !live.contains(st.name())).toList(), console);

    // Counts and error budgets.
    Map<String, Object> rejectedBySource = new LinkedHashMap<>();
    long rejectedTotal = 0;
    for (PlannedSource s : plan.sources()) {
      long seen = 0;
      List<Path> files = s.stage().inputs();
      for (int f = 0; f < files.size(); f++) {
        long rows = metrics.counter(TrainingPipeline.fileRowsCounter(s.name(), f));
        long readRejected = metrics.counter(TrainingPipeline.fileRejectedCounter(s.name(), f));
        seen += rows + readRejected;
        for (Map<String, Object> in : inputs) {
          if (in.get("source").equals(s.name()) && in.get("path").equals(files.get(f).toString())) {
            in.put("rowsRead", rows + readRejected);
            in.put("rowsRejectedByReader", readRejected);
          }
        }
      }
      // Rows of this source rejected by any stage (reader, label check, split, transform).
      long rejected = metrics.counter(TrainingPipeline.rejectedCounter(s.name()));
      rejectedBySource.put(s.name(), rejected);
      rejectedTotal += rejected;
      if (seen > 0 && (double) rejected / seen > s.maxRejectedFraction()) {
        throw new ConfigException(String.format(Locale.ROOT,
            "source '%s': %d of %d rows (%.2f%%) were rejected, more than maxRejectedFraction %.4f; the rows and reasons are in %s "
                + "(raise sources.%s.maxRejectedFraction to accept them)",
            s.name(), rejected, seen, 100.0 * rejected / seen, s.maxRejectedFraction(), staging.resolve("rejected"), s.name()));
      }
    }

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

  /** Hashes every input file on a daemon thread: source, type, path, sha256 and bytes of each. */
  private static CompletableFuture<List<Map<String, Object>>> fingerprint(RunPlan plan) {
    CompletableFuture<List<Map<String, Object>>> future = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (PlannedSource s : plan.sources()) {
          for (Path p : s.stage().inputs()) {
            Fingerprint f = Fingerprint.of(p);
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("source", s.name());
            in.put("type", s.type());
            in.put("path", f.path());
            in.put("sha256", f.sha256());
            in.put("bytes", f.bytes());
            inputs.add(in);
          }
        }
        future.complete(inputs);
      } catch (IOException | RuntimeException e) {
        future.completeExceptionally(e);
      }
    }, "beamline-fingerprint");
    t.setDaemon(true);
    t.start();
    return future;
  }

  private static <T> T join(CompletableFuture<T> future) throws IOException, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /**
   * Removes the transformed example blocks the pipeline kept for training and prediction: they are not a
   * result. Best effort: a block file that cannot be removed is named in a warning, not a failed run.
   */
  static void deleteExamples(Path staging) {
    ExampleFile.release(staging.toAbsolutePath().toString());
    Path examples = staging.resolve(ExampleFile.DIRECTORY);
    if (!Files.isDirectory(examples)) {
      return;
    }
    try (var paths = Files.walk(examples)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      LOG.warn("could not remove the example blocks in {}: {}", examples, e.toString());
    }
  }

  /** Beam options, with the DirectRunner's test-time checks off unless asked for. */
  static PipelineOptions options(List<String> args) {
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().create();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Beam pipeline options: " + e.getMessage(), e);
    }
    if (options.getRunner().getSimpleName().equals("FlinkRunner") && submitsToCluster(args)
        && args.stream().noneMatch(a -> a.startsWith("--filesToStage"))) {
      // A cluster runs the job jar: the CLI, every plugin and their dependencies, services files merged.
      List<String> more = new ArrayList<>(args);
      more.add("--filesToStage=" + jobJar());
      return options(more);
    }
    if (options.getRunner().getSimpleName().equals("FlinkRunner") && args.stream().noneMatch(a -> a.startsWith("--fasterCopy"))) {
      // Beamline's DoFns never mutate their inputs (the test kit checks it on the DirectRunner), so Flink
      // need not copy every element between chained operators.
      List<String> more = new ArrayList<>(args);
      more.add("--fasterCopy=true");
      return options(more);
    }
    if (options.getRunner() == DirectRunner.class) {
      DirectOptions direct = options.as(DirectOptions.class);
      Set<String> given = new HashSet<>();
      for (String a : args) {
        given.add(a.replaceFirst("^--", "").replaceFirst("=.*$", ""));
      }
      // Immutability and encodability enforcement cost ~30x on real data; they belong in tests.
      if (!given.contains("enforceImmutability")) {
        direct.setEnforceImmutability(false);
      }
      if (!given.contains("enforceEncodability")) {
        direct.setEnforceEncodability(false);
      }
      if (!given.contains("blockOnRun")) {
        direct.setBlockOnRun(false);
      }
      // The DirectRunner's scheduling loop runs as a task of its own thread pool and spins whenever it
      // finds no new work (apache/beam#18070), e.g. all through training: it takes a core from the
      // workers. A pool of cores - 1 threads leaves that core to it (1M-row benchmark on 2 cores, one run
      // each: 3 threads 46.8 s, 2 threads 35.3 s, 1 thread 30.1 s; training 17.8 s at 2, 12.0 s at 1).
      if (!given.contains("targetParallelism")) {
        direct.setTargetParallelism(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
      }
    }
    return options;
  }

  /** Whether the Flink options name a cluster ({@code --flinkMaster=host:port}) rather than an embedded Flink. */
  static boolean submitsToCluster(List<String> args) {
    for (String a : args) {
      if (a.startsWith("--flinkMaster=")) {
        String master = a.substring("--flinkMaster=".length()).trim();
        return !master.isEmpty() && !master.startsWith("[");
      }
    }
    return false;
  }

  /** The job jar: {@code -Dbeamline.jobJar} (bin/beamline sets it), else {@code BEAMLINE_JOB_JAR}. */
  static String jobJar() {
    String jar = System.getProperty("beamline.jobJar");
    if (jar == null || jar.isBlank()) {
      jar = System.getenv("BEAMLINE_JOB_JAR");
    }
    if (jar == null || jar.isBlank()) {
      throw new ConfigException("--flinkMaster: submitting to a Flink cluster needs Beamline's job jar (modules/cli/target/"
          + "beamline-job.jar, built by 'mvn package -pl modules/cli -am'); bin/beamline finds it, else set BEAMLINE_JOB_JAR "
          + "or pass --filesToStage=JAR");
    }
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new ConfigException("--flinkMaster: the job jar " + jar + " does not exist; build it with 'mvn package -pl modules/cli -am'");
    }
    return Path.of(jar).toAbsolutePath().toString();
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

  /**
   * Prints each stage's start, and its end with its figures, as the runner reports them while the pipeline
   * runs (runners that report metrics only at the end get every line then). Returns the stages whose end
   * was printed.
   */
  private static Set<String> followProgress(PipelineResult result, long pipelineStart, PrintStream console) throws InterruptedException {
    Set<String> started = new HashSet<>();
    Set<String> finished = new HashSet<>();
    while (!result.getState().isTerminal()) {
      RunMetrics m = RunMetrics.of(result);
      for (String stage : TrainingPipeline.STAGES) {
        long[] span = m.clock(stage.equals("fit") ? "split" : stage);
        if (span != null && started.add(stage)) {
          console.printf("  %-9s started  +%.1fs%n", stage, (span[0] - pipelineStart) / 1000.0);
        }
      }
      for (StageReport.Stage st : StageReport.of(m, pipelineStart)) {
        if (st.startSeconds() != null && started.contains(st.name()) && m.counter(StageClock.doneName(st.name())) > 0
            && finished.add(st.name())) {
          printStages(List.of(st), console);
        }
      }
      result.waitUntilFinish(org.joda.time.Duration.millis(500));
    }
    return finished;
  }

  private static void printStages(List<StageReport.Stage> stages, PrintStream console) {
    for (StageReport.Stage s : stages) {
      if (s.startSeconds() == null) {
        console.printf("  %-9s did no work%n", s.name());
      } else {
        console.printf(Locale.ROOT, "  %-9s finished +%.1fs  took %6.2fs  rows in %,d  out %,d  rejected %,d%n", s.name(),
            s.startSeconds() + s.elapsedSeconds(), s.elapsedSeconds(), s.in(), s.out(), s.rejected());
      }
    }
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
