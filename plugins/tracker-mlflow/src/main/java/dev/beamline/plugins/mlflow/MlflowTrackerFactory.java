package dev.beamline.plugins.mlflow;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.tracking.TrackerFactory;
import dev.beamline.spi.tracking.TrackingSink;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code mlflow} tracker: an MLflow tracking server at an {@code http(s)} URI. Tracking calls go
 * through MLflow's Java client; artifacts (through the server's {@code mlflow-artifacts} proxy), dataset
 * inputs and the model registry through MLflow's REST API. No Python is needed on the client.
 * Credentials: {@code MLFLOW_TRACKING_TOKEN}, or {@code MLFLOW_TRACKING_USERNAME} and {@code _PASSWORD}.
 */
public final class MlflowTrackerFactory implements TrackerFactory {
  private static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofInt("timeoutSeconds").withDefault(30).describedAs("timeout of one HTTP call"),
      ConfigKey.ofInt("maxAttempts").withDefault(5).describedAs("attempts per call while the server is unreachable (backoff 0.5 s, doubling)"),
      ConfigKey.ofInt("multipartThresholdMb").withDefault(100)
          .describedAs("files at least this large are uploaded in parts where the server's store offers it"),
      ConfigKey.ofInt("multipartPartMb").withDefault(64).describedAs("part size of multipart uploads"),
      ConfigKey.ofInt("registrationWaitSeconds").withDefault(120).describedAs("how long to wait for a model version to be READY"));

  private final Map<String, String> env;
  private final Retry.Sleeper sleeper;

  /** The tracker, with credentials from the process environment. */
  public MlflowTrackerFactory() {
    this(System.getenv(), Thread::sleep);
  }

  MlflowTrackerFactory(Map<String, String> env, Retry.Sleeper sleeper) {
    this.env = env;
    this.sleeper = sleeper;
  }

  @Override
  public String id() {
    return "mlflow";
  }

  @Override
  public String description() {
    return "MLflow tracking server: runs, params, metrics, datasets, artifacts, registered models with aliases";
  }

  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  @Override
  public TrackingSink open(URI target, StageConfig config) {
    return new MlflowSink(connect(target, config), config);
  }

  @Override
  public Path fetchModel(URI target, StageConfig config, String modelUri, Path cache) throws IOException, TrackingUnavailableException {
    try (Connection c = connect(target, config)) {
      return new MlflowModels(c.tracking(), c.rest()).fetch(modelUri, cache);
    }
  }

  Connection connect(URI target, StageConfig config) {
    String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
      throw new ConfigException("tracking URI " + target.getScheme() + "://" + target.getHost()
          + ": the mlflow tracker needs an http(s) URI of an MLflow server, e.g. http://127.0.0.1:5000");
    }
    if (target.getUserInfo() != null) {
      throw new ConfigException("tracking URI: do not put credentials in the URI; set MLFLOW_TRACKING_TOKEN or "
          + "MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD");
    }
    Credentials credentials = Credentials.fromEnvironment(env);
    Duration timeout = Duration.ofSeconds(Math.max(1, config.getInt("timeoutSeconds")));
    Retry retry = new Retry(Math.max(1, config.getInt("maxAttempts")), Duration.ofMillis(500), sleeper);
    AtomicLong calls = new AtomicLong();
    return new Connection(new MlflowTracking(target, credentials, timeout, retry, calls), new MlflowRest(target, credentials, timeout, retry, calls),
        calls);
  }

  /** Both clients of one server, and the count of HTTP calls they made. */
  record Connection(MlflowTracking tracking, MlflowRest rest, AtomicLong calls) implements AutoCloseable {
    @Override
    public void close() {
      tracking.close();
    }
  }
}
