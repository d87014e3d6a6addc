package dev.beamline.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real MLflow server for a test class, started and stopped with the project's own script
 * ({@code integration-tests/bin/mlflow-server}), and a small REST reader to check what reached it.
 */
final class MlflowServer implements AutoCloseable {
  static final Path SCRIPT = PipelinesIT.ROOT.resolve("integration-tests/bin/mlflow-server");
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path dir;
  URI uri;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private MlflowServer(Path dir) {
    this.dir = dir;
  }

  /** Starts a server with its data in {@code dir}. */
  static MlflowServer start(Path dir) throws Exception {
    MlflowServer s = new MlflowServer(dir);
    s.uri = URI.create(script("start", "--dir", dir.toString()));
    return s;
  }

  /** Starts the stopped server again, on the same port and data. */
  void restart() throws Exception {
    URI again = URI.create(script("start", "--dir", dir.toString(), "--port", String.valueOf(uri.getPort())));
    if (!again.equals(uri)) {
      throw new IllegalStateException("restarted on " + again + ", not " + uri);
    }
  }

  void stop() throws Exception {
    script("stop", dir.toString());
  }

  /** The Python of the script's virtual environment (with mlflow and xgboost). */
  static String python() throws Exception {
    return script("python");
  }

  @Override
  public void close() throws Exception {
    if (Files.exists(dir.resolve("server.pid"))) {
      stop();
    }
  }

  static String script(String... args) throws Exception {
    return ProjectScript.run(SCRIPT, Map.of(), args);
  }

  /** The value of a run's tag, or {@code ""}. */
  static String tag(JsonNode run, String key) {
    for (JsonNode t : run.path("data").path("tags")) {
      if (t.path("key").asText().equals(key)) {
        return t.path("value").asText();
      }
    }
    return "";
  }

  JsonNode get(String path, Map<String, String> query) throws IOException, InterruptedException {
    StringBuilder q = new StringBuilder();
    query.forEach((k, v) -> q.append(q.length() == 0 ? "?" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/" + path + q)).timeout(Duration.ofSeconds(20))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + q + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  JsonNode post(String path, Object body) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/" + path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("POST " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** The run, as {@code runs/get} returns it. */
  JsonNode run(String runId) throws IOException, InterruptedException {
    return get("mlflow/runs/get", Map.of("run_id", runId)).get("run");
  }

  /** The number of values of a metric (its whole history). */
  int historySize(String runId, String key) throws IOException, InterruptedException {
    return get("mlflow/metrics/get-history", Map.of("run_id", runId, "metric_key", key, "max_results", "25000")).path("metrics").size();
  }

  /** The runs of an experiment (by name), newest first; empty when it does not exist yet. */
  List<JsonNode> runs(String experiment) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/experiments/get-by-name?experiment_name="
        + URLEncoder.encode(experiment, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      return List.of();
    }
    String id = JSON.readTree(r.body()).path("experiment").path("experiment_id").asText();
    List<JsonNode> out = new ArrayList<>();
    post("mlflow/runs/search", Map.of("experiment_ids", List.of(id), "run_view_type", "ALL", "max_results", 100)).path("runs").forEach(out::add);
    return out;
  }
}
