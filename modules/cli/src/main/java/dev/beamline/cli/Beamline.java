package dev.beamline.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.beamline.core.inject.BeamlineModule;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.run.RunRequest;
import dev.beamline.core.run.RunOutcome;
import dev.beamline.core.run.RunService;
import dev.beamline.core.run.Versions;
import dev.beamline.core.tracking.JournalDelivery;
import dev.beamline.core.tracking.TrackingSync;
import java.net.URI;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code beamline} command. Exit codes: 0 success; 2 bad configuration or unusable input (one line
 * naming the file, key or column); 3 the data failed its schema (every anomaly listed); 1 any other failure.
 */
@Command(name = "beamline", mixinStandardHelpOptions = true, versionProvider = Beamline.Version.class,
    description = "Portable Beam pipelines from raw data to a trained, evaluated XGBoost model.",
    subcommands = {Beamline.Run.class, Beamline.Validate.class, Beamline.InferSchema.class, ValidateData.class, Beamline.Plugins.class, Beamline.Tracking.class,
        Beamline.Models.class, Serve.class, Predict.class, Image.class})
public final class Beamline implements Callable<Integer> {
  /** Exit code of success. */
  public static final int OK = 0;
  /** Exit code of any failure that is not the user's input. */
  public static final int FAILED = 1;
  /** Exit code of a bad configuration or unusable input. */
  public static final int BAD_INPUT = 2;
  /** Exit code of data that failed its schema: an error-level anomaly. */
  public static final int DATA_ANOMALIES = 3;
  /** {@code run --require-blessing}: the model was not blessed. */
  public static final int NOT_BLESSED = 4;

  @Option(names = {"-v", "--verbose"}, description = "log more (INFO) and print stack traces", scope = CommandLine.ScopeType.INHERIT)
  boolean verbose;

  final PrintStream out;
  final PrintStream err;
  /** How the command logs (BEAMLINE_LOG_FORMAT); a server's own lines follow it. */
  Logging.Format logFormat = Logging.Format.TEXT;
  private Injector injector;

  Beamline(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs the command line; returns the exit code. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
    Logging.Format format;
    try {
      format = Logging.format(System.getenv(Logging.FORMAT_ENV));
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return BAD_INPUT;
    }
    Logging.configure(verbose, format);
    Beamline app = new Beamline(out, err);
    app.logFormat = format;
    CommandLine cli = new CommandLine(app);
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setExecutionExceptionHandler((e, line, parsed) -> app.fail(e));
    cli.setParameterExceptionHandler((e, a) -> {
      err.println("error: " + e.getMessage());
      e.getCommandLine().usage(err);
      return BAD_INPUT;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() {
    CommandLine.usage(this, out);
    return BAD_INPUT;
  }

  Injector injector() {
    if (injector == null) {
      injector = Guice.createInjector(new BeamlineModule());
    }
    return injector;
  }

  int fail(Exception e) {
    ConfigException config = find(e, ConfigException.class);
    if (config != null) {
      err.println("error: " + config.getMessage());
      if (verbose) {
        e.printStackTrace(err);
      }
      return BAD_INPUT;
    }
    NoSuchFileException missing = find(e, NoSuchFileException.class);
    if (missing != null) {
      err.println("error: " + missing.getFile() + ": no such file");
      return BAD_INPUT;
    }
    err.println("error: " + describe(e) + (verbose ? "" : " (run with -v for details)"));
    if (verbose) {
      e.printStackTrace(err);
    }
    return FAILED;
  }

  /**
   * The failure in one line: the distinct messages along the cause chain, outermost first (a runner's
   * "job failed" and the restart strategy's verdict, down to the root cause), wrapper messages left out.
   */
  static String describe(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      if (m == null || m.isBlank() || m.matches("^[a-z][\\w.]*\\.[A-Z]\\w*(Exception|Error)(: .*)?$")) {
        continue; // a wrapper repeating its cause's class and message
      }
      String line = m.strip().replaceAll("\\s+", " ");
      if (messages.stream().noneMatch(x -> x.contains(line) || line.contains(x))) {
        messages.add(line.length() > 300 ? line.substring(0, 300) + "..." : line);
      } else if (!messages.isEmpty() && line.contains(messages.get(messages.size() - 1))) {
        messages.set(messages.size() - 1, line.length() > 300 ? line.substring(0, 300) + "..." : line);
      }
    }
    if (messages.isEmpty()) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return root.getClass().getName();
    }
    if (messages.size() > 5) {
      List<String> shortened = new ArrayList<>(messages.subList(0, 2));
      shortened.add("...");
      shortened.addAll(messages.subList(messages.size() - 3, messages.size()));
      messages = shortened;
    }
    return String.join(" -> ", messages);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
      if (t instanceof UncheckedIOException && type.isInstance(t.getCause())) {
        return type.cast(t.getCause());
      }
    }
    return null;
  }

  /** {@code beamline run}. */
  @Command(name = "run", description = "Run a pipeline: train, evaluate and write a run directory. "
      + "Beam pipeline options (--runner=... and the like) may follow on the same line.")
  static final class Run implements Callable<Integer> {
    @CommandLine.ParentCommand
    Beamline parent;

    @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "the pipeline file")
    Path pipeline;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "the run directory (default runs/<pipeline>/<time>-<id>)")
    Path output;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a value of the pipeline file, e.g. --set trainer.rounds=50")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--tracking-uri", paramLabel = "URI",
        description = "track the run there (e.g. http://127.0.0.1:5000); default $MLFLOW_TRACKING_URI, else a journal in the run directory only")
    URI trackingUri;

    @Option(names = "--require-blessing",
        description = "exit " + NOT_BLESSED + " when the model is not blessed (the pipeline's blessing section must exist)")
    boolean requireBlessing;

    @CommandLine.Unmatched
    List<String> beamArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      checkBeamArgs(beamArgs);
      RunOutcome outcome = parent.injector().getInstance(RunService.class).run(new RunRequest(pipeline, overrides, output, beamArgs,
          checkTarget(trackingUri, "--tracking-uri"), Pull.defaultCache(), requireBlessing), parent.out);
      if (outcome.dataFailed()) {
        parent.err.println("error: the data failed its schema (" + outcome.anomalies().stream()
            .filter(a -> a.severity() == dev.beamline.statistics.Anomaly.Severity.ERROR).count() + " errors, listed above and in "
            + outcome.directory().resolve("anomalies.json") + "); the model was not registered");
        return DATA_ANOMALIES;
      }
      if (requireBlessing && !outcome.blessing().blessed()) {
        parent.err.println("error: the model was not blessed (--require-blessing); why is listed above and in "
            + outcome.directory().resolve("metrics.json"));
        return NOT_BLESSED;
      }
      return OK;
    }
  }

  /** {@code beamline infer-schema}. */
  @Command(name = "infer-schema", description = "Read a pipeline's sources, compute the statistics of its splits and write the data "
      + "schema its training split suggests (types, ranges, domains, missing shares), to review and name in the pipeline "
      + "(validation: {schema: FILE}). Beam pipeline options may follow.")
  static final class InferSchema implements Callable<Integer> {
    @CommandLine.ParentCommand
    Beamline parent;

    @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "the pipeline file")
    Path pipeline;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write the schema (default schema.yaml beside the pipeline)")
    Path output;

    @Option(names = "--force", description = "replace an existing schema file")
    boolean force;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a value of the pipeline file")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Unmatched
    List<String> beamArgs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      checkBeamArgs(beamArgs);
      Path parentDir = pipeline.toAbsolutePath().getParent();
      Path target = output != null ? output : (parentDir == null ? Path.of("schema.yaml") : parentDir.resolve("schema.yaml"));
      if (Files.exists(target) && !force) {
        throw new ConfigException(target + ": the file exists; give --force to replace it, or --output another file");
      }
      parent.injector().getInstance(RunService.class).inferSchema(pipeline, overrides, beamArgs, target, parent.out);
      return OK;
    }
  }

  /** The arguments picocli did not match must be Beam options ({@code --name=value}). */
  static void checkBeamArgs(List<String> beamArgs) {
    for (String a : beamArgs) {
      if (!a.startsWith("--")) {
        throw new ConfigException("unexpected argument '" + a + "'; Beam options are written --name=value");
      }
    }
  }

  static URI checkTarget(URI uri, String option) {
    if (uri != null && (uri.getScheme() == null || uri.getHost() == null)) {
      throw new ConfigException(option + " " + dev.beamline.core.tracking.SyncState.shown(uri) + ": give a URI with scheme and host, e.g. http://127.0.0.1:5000");
    }
    return uri;
  }

  /** Beamline's cache: {@code $BEAMLINE_CACHE}, else {@code ~/.cache/beamline}. */
  static Path cacheRoot() {
    String env = System.getenv("BEAMLINE_CACHE");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "beamline");
  }

  static URI targetOrEnv(URI given, String option) {
    if (given != null) {
      return checkTarget(given, option);
    }
    String env = System.getenv("MLFLOW_TRACKING_URI");
    if (env == null || env.isBlank()) {
      throw new ConfigException(option + ": name the tracking server (or set MLFLOW_TRACKING_URI)");
    }
    return checkTarget(URI.create(env.trim()), "MLFLOW_TRACKING_URI");
  }

  /** {@code beamline tracking}. */
  @Command(name = "tracking", description = "Deliver run journals to a tracking server.", subcommands = {Beamline.Sync.class})
  static final class Tracking extends Group {}

  /** A command that only groups subcommands: on its own it prints its usage. */
  abstract static class Group implements Callable<Integer> {
    @CommandLine.ParentCommand
    Beamline parent;

    @Override
    public Integer call() {
      CommandLine.usage(this, parent.out);
      return BAD_INPUT;
    }
  }

  /** {@code beamline tracking sync}. */
  @Command(name = "sync", description = "Replay the tracking journals of run directories to a server, each event exactly once; "
      + "a run whose process died before it ended is ended as KILLED.")
  static final class Sync implements Callable<Integer> {
    @CommandLine.ParentCommand
    Tracking tracking;

    @Option(names = "--to", paramLabel = "URI", description = "the tracking server (default $MLFLOW_TRACKING_URI)")
    URI to;

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run directories (finished, failed or interrupted)")
    List<Path> runs = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      Beamline parent = tracking.parent;
      URI target = targetOrEnv(to, "--to");
      TrackingSync sync = parent.injector().getInstance(TrackingSync.class);
      int code = OK;
      for (Path run : runs) {
        TrackingSync.Result r = sync.sync(run, target);
        JournalDelivery.Outcome o = r.outcome();
        if (o.problem() == null) {
          parent.out.printf("%s: %d of %d events delivered now (%s)%s%s%n", run, r.delivered(), r.total(),
              r.delivered() == 0 ? "it was in sync already" : "the rest were delivered before",
              r.endedKilled() ? "; the interrupted run was ended as KILLED" : "",
              r.display().isEmpty() ? "" : "; " + String.join("; ", r.display().values()));
        } else {
          parent.err.printf("%s: %s; %d of %d events still to deliver (run this command again)%n", run, o.problem(), o.pending(), r.total());
          code = FAILED;
        }
      }
      return code;
    }
  }

  /** {@code beamline models}. */
  @Command(name = "models", description = "Models in a tracking server's registry.", subcommands = {Beamline.Pull.class})
  static final class Models extends Group {}

  /** {@code beamline models pull}. */
  @Command(name = "pull", description = "Resolve runs:/<id>/<path>, models:/<name>/<version> or models:/<name>@<alias> to a "
      + "local model directory (downloaded once, cached by version) and print its path.")
  static final class Pull implements Callable<Integer> {
    @CommandLine.ParentCommand
    Models models;

    @Parameters(index = "0", paramLabel = "MODEL_URI", description = "runs:/..., models:/NAME/VERSION or models:/NAME@ALIAS")
    String modelUri;

    @Option(names = "--tracking-uri", paramLabel = "URI", description = "the tracking server (default $MLFLOW_TRACKING_URI)")
    URI trackingUri;

    @Option(names = "--tracker", paramLabel = "ID", description = "the tracker plugin (default mlflow)")
    String tracker = "mlflow";

    @Option(names = "--cache", paramLabel = "DIR", description = "the model cache (default $BEAMLINE_CACHE/models, ~/.cache/beamline/models)")
    Path cache;

    @Override
    public Integer call() throws Exception {
      Beamline parent = models.parent;
      parent.out.println(parent.fetch(tracker, modelUri, trackingUri, cache));
      return OK;
    }

    static Path defaultCache() {
      return cacheRoot().resolve("models");
    }
  }

  /**
   * A tracking server's model or run ({@code runs:/...}, {@code models:/...}) as a local directory, downloaded
   * once into {@code cache} (default {@link Pull#defaultCache()}) through the tracker plugin.
   */
  Path fetch(String tracker, String uri, URI trackingUri, Path cache) throws Exception {
    URI target = targetOrEnv(trackingUri, "--tracking-uri");
    return injector().getInstance(TrackingSync.class).fetchModel(tracker, target, uri, cache != null ? cache : Pull.defaultCache());
  }

  /** The {@code --set source.KEY=VALUE} options of a command that reads files with a run's source, as {@code KEY=VALUE}. */
  static List<String> sourceSettings(List<String> sets, String command) {
    List<String> settings = new ArrayList<>();
    for (String s : sets) {
      if (!s.startsWith("source.")) {
        throw new ConfigException("--set " + s + ": " + command + " changes the source's settings only: --set source.KEY=VALUE");
      }
      settings.add(s.substring("source.".length()));
    }
    return settings;
  }

  /** {@code beamline validate}. */
  @Command(name = "validate", description = "Check a pipeline file (stages, keys, columns) without running it.")
  static final class Validate implements Callable<Integer> {
    @CommandLine.ParentCommand
    Beamline parent;

    @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "the pipeline file")
    Path pipeline;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a value of the pipeline file")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() {
      RunPlan plan = parent.injector().getInstance(RunService.class).validate(pipeline, overrides);
      parent.out.printf("%s: valid. %d source(s) %s, %d columns%s, label '%s' (%s), %d feature column(s), trainer %s, evaluator %s%n",
          pipeline, plan.sources().size(), plan.sourceNames(), plan.schema().columns().size(),
          plan.schemaInferred() ? " (inferred)" : "", plan.label().column(), plan.label().task().type().name().toLowerCase(),
          plan.features().size(), plan.trainer().id(), plan.evaluator().id());
      if (plan.tuning() != null) {
        parent.out.printf("  %s%n", plan.tuning().describe());
      }
      return OK;
    }
  }

  /** {@code beamline plugins}. */
  @Command(name = "plugins", description = "List the installed stages: identifier, kind, version, module.")
  static final class Plugins implements Callable<Integer> {
    @CommandLine.ParentCommand
    Beamline parent;

    @Option(names = "--details", description = "also list each stage's configuration keys")
    boolean details;

    @Override
    public Integer call() {
      PluginRegistry registry = parent.injector().getInstance(PluginRegistry.class);
      parent.out.printf("%-12s %-10s %-16s %-34s %s%n", "ID", "KIND", "VERSION", "MODULE", "DESCRIPTION");
      for (PluginRegistry.Registered r : registry.all()) {
        parent.out.printf("%-12s %-10s %-16s %-34s %s%n", r.factory().id(), r.factory().kind().label(), r.factory().version(),
            r.module(), r.factory().description());
        if (details) {
          for (ConfigKey k : r.factory().configSpec().keys()) {
            parent.out.printf("    %-22s %-12s %s%s%s%n", k.name(), k.type().name().toLowerCase(),
                k.required() ? "(required) " : k.defaultValue() != null ? "(default " + k.defaultValue() + ") " : "",
                k.description(), k.allowed().isEmpty() ? "" : " " + k.allowed());
          }
        }
      }
      return OK;
    }
  }

  /** The version line. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"beamline " + Versions.beamline() + " " + Versions.all()};
    }
  }
}
