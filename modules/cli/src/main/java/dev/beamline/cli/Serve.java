package dev.beamline.cli;

import dev.beamline.core.run.Versions;
import dev.beamline.serving.ModelHolder;
import dev.beamline.serving.ModelLoader;
import dev.beamline.serving.ScoringServer;
import dev.beamline.spi.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code beamline serve}: the online scoring server. */
@Command(name = "serve", description = "Serve a model over HTTP with MLflow's scoring protocol, on raw columns "
    + "(POST /invocations; GET /ping, /health, /version, /metrics). Stops gracefully on SIGTERM or Ctrl-C.")
final class Serve implements Callable<Integer> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Serve.class);

  @CommandLine.ParentCommand
  Beamline parent;

  @CommandLine.Mixin
  ModelOptions model = new ModelOptions();

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${env:BEAMLINE_HOST:-127.0.0.1}",
      description = "the address to bind (default $BEAMLINE_HOST, else 127.0.0.1; 0.0.0.0 for every interface)")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "${env:BEAMLINE_PORT:-8080}",
      description = "the port (default $BEAMLINE_PORT, else 8080; 0 for a free one)")
  int port;

  @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:BEAMLINE_TOKEN_FILE}",
      description = "require 'Authorization: Bearer <the file's first line>' (all but /ping and /health; default $BEAMLINE_TOKEN_FILE)")
  Path tokenFile;

  @Option(names = "--max-body-bytes", paramLabel = "N", defaultValue = "${env:BEAMLINE_MAX_BODY_BYTES:-10485760}",
      description = "the largest request body; larger ones get 413 (default $BEAMLINE_MAX_BODY_BYTES, else 10485760)")
  long maxBodyBytes;

  @Option(names = "--poll-seconds", paramLabel = "S", defaultValue = "${env:BEAMLINE_POLL_SECONDS:-30}",
      description = "how often models:/NAME@ALIAS is looked up again; a new version is swapped in without failing a request "
          + "(default $BEAMLINE_POLL_SECONDS, else 30; 0 never)")
  double pollSeconds;

  @Option(names = "--drain-seconds", paramLabel = "S", defaultValue = "${env:BEAMLINE_DRAIN_SECONDS:-30}",
      description = "how long a stop waits for the requests in flight (default $BEAMLINE_DRAIN_SECONDS, else 30)")
  double drainSeconds;

  @Option(names = "--model-name", paramLabel = "NAME", defaultValue = "${env:BEAMLINE_MODEL_NAME}",
      description = "the model's name in /metrics and the log, for a model given as a directory (default $BEAMLINE_MODEL_NAME, "
          + "else the directory's name; a models:/ URI names its model itself)")
  String modelName;

  @Option(names = "--model-version", paramLabel = "VERSION", defaultValue = "${env:BEAMLINE_MODEL_VERSION}",
      description = "the version in /metrics and the Beamline-Model-Version header, for a model given as a directory "
          + "(default $BEAMLINE_MODEL_VERSION, else 'local')")
  String modelVersion;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new ConfigException("--port " + port + ": give 0..65535");
    }
    String token = token();
    ModelLoader loader = model.loader(parent);
    ModelHolder.Loaded first;
    Path dir = loader.resolve();
    try {
      first = loader.load(dir);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--model " + model.model + ": " + e.getMessage(), e);
    }
    if (!loader.location().isUri() && (modelName != null || modelVersion != null)) {
      first = new ModelHolder.Loaded(first.scorer(), modelName != null ? modelName : first.name(),
          modelVersion != null ? modelVersion : first.version(), first.runId(), first.directory());
    }
    ScoringServer server = ScoringServer.start(loader, first, new ScoringServer.Options(host, port, maxBodyBytes, token,
        Duration.ofMillis((long) (pollSeconds * 1000)), Duration.ofMillis((long) (drainSeconds * 1000)), Versions.beamline()));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.close();
        say("beamline serve: stopped");
      } catch (Exception e) {
        if (parent.logFormat == Logging.Format.JSON) {
          LOG.error("beamline serve: stopping", e);
        } else {
          parent.err.println("beamline serve: stopping: " + e);
        }
      }
    }, "beamline-serve-stop"));
    say(String.format("beamline serve: %s version %s (%s), %d input columns, task %s", first.name(), first.version(), first.directory(),
        first.scorer().requiredColumns().size(), first.scorer().task().type().name().toLowerCase(java.util.Locale.ROOT)));
    say(String.format("beamline serve: listening on http://%s:%d (POST /invocations; GET /ping /health /version /metrics)%s; rows: %s",
        host, server.port(), token == null ? "" : ", bearer token required", first.scorer().policy()));
    server.join();
    return Beamline.OK;
  }

  /** A line of the server's own: on standard output, or a log record when the log is JSON (BEAMLINE_LOG_FORMAT). */
  private void say(String line) {
    if (parent.logFormat == Logging.Format.JSON) {
      LOG.info(line);
    } else {
      parent.out.println(line);
    }
  }

  private String token() throws IOException {
    if (tokenFile == null) {
      return null;
    }
    String t = Files.readString(tokenFile, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
    if (t.isEmpty()) {
      throw new ConfigException("--token-file " + tokenFile + ": the file's first line (the token) is empty");
    }
    return t;
  }
}
