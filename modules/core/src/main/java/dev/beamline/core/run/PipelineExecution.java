package dev.beamline.core.run;

import dev.beamline.core.beam.ExampleFile;
import dev.beamline.core.beam.StageClock;
import dev.beamline.core.plan.TuningPlan;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.SourceStage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * How every kind of run (training, scoring) executes its Beam pipeline: the Beam options Beamline sets,
 * running the pipeline while its stage lines print, the stage report, and the inputs' fingerprints taken
 * while it runs. One place, so that a scoring (or tuning) run behaves like a training run.
 */
public final class PipelineExecution {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineExecution.class);
  private PipelineExecution() {}

  /**
   * One input of a run: a file, or what a source that reads no files names ({@link SourceStage#locations()}).
   *
   * @param location the file's path, or the source's name for what it reads
   * @param path the file; null when the input is not a file
   */
  public record Input(String source, String type, String location, Path path) {}

  /** A source's inputs: its files, or the locations it names when it reads none. */
  public static List<Input> inputs(String source, String type, SourceStage stage) {
    List<Input> out = new ArrayList<>();
    if (!stage.inputs().isEmpty()) {
      stage.inputs().forEach(p -> out.add(new Input(source, type, p.toString(), p)));
    } else {
      stage.locations().forEach(l -> out.add(new Input(source, type, l, null)));
    }
    return out;
  }

  /** A pipeline that ran to the end: its metrics and stage report. */
  public record Finished(RunMetrics metrics, List<StageReport.Stage> stages, long startMillis) {}

  /**
   * Runs a pipeline, printing each stage's start and end as the runner reports them, and the lines not
   * printed yet at the end; the example blocks the stages kept are removed whatever the outcome.
   *
   * @throws IllegalStateException when the pipeline ends in another state than DONE
   */
  public static Finished execute(Pipeline pipeline, List<String> stageNames, Path staging, PrintStream console) throws Exception {
    return execute(pipeline, stageNames, staging, console, out -> {});
  }

  /** What a run reports while its pipeline runs besides the stage lines: polled twice a second, and once at the end. */
  public interface Progress {
    void poll(PrintStream console);
  }

  /** {@link #execute(Pipeline, List, Path, PrintStream)}, with {@code progress} polled while the pipeline runs. */
  public static Finished execute(Pipeline pipeline, List<String> stageNames, Path staging, PrintStream console, Progress progress)
      throws Exception {
    long pipelineStart = System.currentTimeMillis();
    PipelineResult result;
    Set<String> printedLive;
    try {
      result = pipeline.run();
      printedLive = followProgress(result, pipelineStart, stageNames, console, progress);
      result.waitUntilFinish();
      progress.poll(console);
    } catch (RuntimeException e) {
      console.printf("run failed; partial output left in %s%s%n", staging, keepTrace(e, staging));
      throw e;
    } finally {
      deleteExamples(staging);
    }
    if (result.getState() != PipelineResult.State.DONE) {
      throw new IllegalStateException("the pipeline ended in state " + result.getState() + "; partial output in " + staging);
    }
    RunMetrics metrics = RunMetrics.of(result);
    List<StageReport.Stage> stages = StageReport.of(metrics, pipelineStart, stageNames);
    printStages(stages.stream().filter(st -> !printedLive.contains(st.name())).toList(), console);
    return new Finished(metrics, stages, pipelineStart);
  }

  /** Where a failed pipeline's full stack trace is kept, in its partial output. */
  public static final String FAILURE_FILE = "failure.txt";

  /**
   * Writes the failure's stack trace into the partial output and returns how the console line names it: a failure
   * that a rerun does not repeat (a race, a worker lost) can still be read whole without {@code -v}.
   */
  private static String keepTrace(Throwable e, Path staging) {
    java.io.StringWriter trace = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(trace));
    try {
      Files.createDirectories(staging);
      Files.writeString(staging.resolve(FAILURE_FILE), trace.toString());
      return " (the full trace in " + FAILURE_FILE + ")";
    } catch (IOException | RuntimeException notKept) {
      LOG.warn("cannot keep the failure's trace in {}: {}", staging, notKept.toString());
      return "";
    }
  }

  /**
   * Hashes every input file on a daemon thread: source, type, path, sha256 and bytes of each; an input that is not a
   * file gets its rows' digest when they have been read ({@link ErrorBudget}).
   */
  public static CompletableFuture<List<Map<String, Object>>> fingerprint(List<Input> files) {
    CompletableFuture<List<Map<String, Object>>> future = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Input file : files) {
          Map<String, Object> in = new LinkedHashMap<>();
          in.put("source", file.source());
          in.put("type", file.type());
          in.put("path", file.location());
          if (file.path() != null) {
            Fingerprint f = Fingerprint.of(file.path());
            in.put("sha256", f.sha256());
            in.put("bytes", f.bytes());
          }
          inputs.add(in);
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

  /** The value of a future, with its cause unwrapped. */
  public static <T> T join(CompletableFuture<T> future) throws IOException, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /** Beam options, with the DirectRunner's test-time checks off unless asked for. */
  public static PipelineOptions options(List<String> args) {
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().create();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Beam pipeline options: " + e.getMessage(), e);
    }
    if (options.getRunner().getSimpleName().equals("FlinkRunner") && submitsToCluster(args)
        && !given(args, "filesToStage")) {
      // A cluster runs the job jar: the CLI, every plugin and their dependencies, services files merged.
      List<String> more = new ArrayList<>(args);
      more.add("--filesToStage=" + jobJar());
      return options(more);
    }
    if (options.getRunner().getSimpleName().equals("FlinkRunner") && !given(args, "fasterCopy")) {
      // Beamline's DoFns never mutate their inputs (the test kit checks it on the DirectRunner), so Flink
      // need not copy every element between chained operators.
      List<String> more = new ArrayList<>(args);
      more.add("--fasterCopy=true");
      return options(more);
    }
    if (options.getRunner() == DirectRunner.class) {
      DirectOptions direct = options.as(DirectOptions.class);
      // Immutability and encodability enforcement cost ~30x on real data; they belong in tests.
      if (!given(args, "enforceImmutability")) {
        direct.setEnforceImmutability(false);
      }
      if (!given(args, "enforceEncodability")) {
        direct.setEnforceEncodability(false);
      }
      if (!given(args, "blockOnRun")) {
        direct.setBlockOnRun(false);
      }
      // The DirectRunner's scheduling loop runs as a task of its own thread pool and spins whenever it
      // finds no new work (apache/beam#18070), e.g. all through training: it takes a core from the
      // workers. A pool of cores - 1 threads leaves that core to it (1M-row benchmark on 2 cores, one run
      // each: 3 threads 46.8 s, 2 threads 35.3 s, 1 thread 30.1 s; training 17.8 s at 2, 12.0 s at 1).
      if (!given(args, "targetParallelism")) {
        direct.setTargetParallelism(Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
      }
    }
    return options;
  }

  /**
   * A search's options: when its trials train one thread each ({@link TuningPlan#oneThreadEach()}), the DirectRunner
   * runs as many tasks at once as the machine has cores (unless {@code --targetParallelism} is given). Measured on
   * 2 cores, 20 adult trials by 3 folds: one task of two threads at a time 120.5 s, two tasks of one thread 71.1 s.
   */
  public static void forSearch(PipelineOptions options, List<String> args, TuningPlan tuning) {
    if (tuning != null && tuning.oneThreadEach() && options.getRunner() == DirectRunner.class && !given(args, "targetParallelism")) {
      options.as(DirectOptions.class).setTargetParallelism(Runtime.getRuntime().availableProcessors());
    }
  }

  /** Whether the Beam arguments give option {@code name} ({@code --name=value} or {@code --name}). */
  static boolean given(List<String> args, String name) {
    return args.stream().anyMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="));
  }

  /** Whether the Flink options name a cluster ({@code --flinkMaster=host:port}) rather than an embedded Flink. */
  static boolean submitsToCluster(List<String> args) {
    String master = option(args, "flinkMaster");
    return master != null && !master.isEmpty() && !master.startsWith("[");
  }

  /** The value of the first {@code --name=value} among the Beam arguments, trimmed, or null when it is not given. */
  static String option(List<String> args, String name) {
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        return a.substring(name.length() + 3).trim();
      }
    }
    return null;
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

  /**
   * Prints each stage's start, and its end with its figures, as the runner reports them while the pipeline
   * runs (runners that report metrics only at the end get every line then). Returns the stages whose end
   * was printed.
   */
  private static Set<String> followProgress(PipelineResult result, long pipelineStart, List<String> stageNames, PrintStream console,
      Progress progress) throws InterruptedException {
    Set<String> started = new HashSet<>();
    Set<String> finished = new HashSet<>();
    while (!result.getState().isTerminal()) {
      RunMetrics m = RunMetrics.of(result);
      for (String stage : stageNames) {
        long[] span = m.clock(stage.equals("fit") || stage.equals("statistics") ? "split" : stage);
        if (span != null && started.add(stage)) {
          console.printf("  %-9s started  +%.1fs%n", stage, (span[0] - pipelineStart) / 1000.0);
        }
      }
      progress.poll(console);
      for (StageReport.Stage st : StageReport.of(m, pipelineStart, stageNames)) {
        if (st.startSeconds() != null && started.contains(st.name()) && m.counter(StageClock.doneName(st.name())) > 0
            && finished.add(st.name())) {
          printStages(List.of(st), console);
        }
      }
      result.waitUntilFinish(org.joda.time.Duration.millis(500));
    }
    return finished;
  }

  static void printStages(List<StageReport.Stage> stages, PrintStream console) {
    for (StageReport.Stage s : stages) {
      if (s.startSeconds() == null) {
        console.printf("  %-9s did no work%n", s.name());
      } else {
        console.printf(Locale.ROOT, "  %-9s finished +%.1fs  took %6.2fs  rows in %,d  out %,d  rejected %,d%n", s.name(),
            s.startSeconds() + s.elapsedSeconds(), s.elapsedSeconds(), s.in(), s.out(), s.rejected());
      }
    }
  }

  /**
   * Removes the transformed example blocks the pipeline kept for training and prediction: they are not a
   * result. Best effort: a block file that cannot be removed is named in a warning, not a failed run.
   */
  static void deleteExamples(Path staging) {
    ExampleFile.release(staging.toAbsolutePath().toString());
    Path examples = staging.resolve(ExampleFile.DIRECTORY);
    try {
      deleteTree(examples);
    } catch (IOException e) {
      LOG.warn("could not remove the example blocks in {}: {}", examples, e.toString());
    }
  }

  /** Removes a directory and everything in it; nothing when it does not exist. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
