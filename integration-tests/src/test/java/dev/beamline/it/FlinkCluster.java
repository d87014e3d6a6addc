package dev.beamline.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real Flink 1.19 standalone cluster for a test class, run by {@code integration-tests/bin/flink-cluster}. */
final class FlinkCluster implements AutoCloseable {
  static final Path SCRIPT = PipelinesIT.ROOT.resolve("integration-tests/bin/flink-cluster");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final Path dir;
  final String master;

  private FlinkCluster(Path dir, String master) {
    this.dir = dir;
    this.master = master;
  }

  static FlinkCluster start(Path dir) throws Exception {
    return start(dir, java.util.Map.of());
  }

  /** Starts a cluster with settings of the script's environment (e.g. FLINK_RESTART_ATTEMPTS). */
  static FlinkCluster start(Path dir, java.util.Map<String, String> env) throws Exception {
    return new FlinkCluster(dir, script(env, "start", "--dir", dir.toString()));
  }

  void killTaskManager() throws Exception {
    script("kill-taskmanager", dir.toString());
  }

  /** Kills TaskManager {@code n} (1 is the first started). */
  void killTaskManager(int n) throws Exception {
    script("kill-taskmanager", dir.toString(), String.valueOf(n));
  }

  /** What the TaskManagers logged so far, all of them. */
  String taskManagerLogs() throws IOException {
    StringBuilder out = new StringBuilder();
    try (var logs = Files.list(dir.resolve("log"))) {
      for (Path log : logs.filter(l -> l.getFileName().toString().startsWith("taskmanager-")).sorted().toList()) {
        out.append(Files.readString(log));
      }
    }
    return out.toString();
  }

  void startTaskManager() throws Exception {
    script("start-taskmanager", dir.toString());
  }

  @Override
  public void close() throws Exception {
    boolean running;
    try (var files = Files.list(dir)) {
      running = files.anyMatch(f -> f.getFileName().toString().endsWith(".pid"));
    }
    if (running) {
      script("stop", dir.toString());
    }
  }

  /** The last lines of the cluster's logs, for failure messages. */
  String logTails() {
    StringBuilder out = new StringBuilder();
    try (var logs = Files.list(dir.resolve("log"))) {
      for (Path log : logs.sorted().toList()) {
        List<String> lines = Files.readAllLines(log);
        out.append("\n--- ").append(log.getFileName()).append(" (last 30 lines)\n");
        lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> out.append(l).append('\n'));
      }
    } catch (IOException e) {
      out.append("(cannot read the cluster's logs: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  /** The Beam options that submit to this cluster with parallelism 2. */
  String[] options() {
    return new String[] {"--runner=FlinkRunner", "--flinkMaster=" + master, "--parallelism=2"};
  }

  /** The cluster's jobs ({@code /jobs/overview}). */
  List<JsonNode> jobs() throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master + "/jobs/overview"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    List<JsonNode> out = new ArrayList<>();
    JSON.readTree(r.body()).path("jobs").forEach(out::add);
    return out;
  }

  /** The job of a Beamline run (its name carries the run id), or null. */
  JsonNode job(String runId) throws IOException, InterruptedException {
    for (JsonNode j : jobs()) {
      if (j.path("name").asText().endsWith(runId)) {
        return j;
      }
    }
    return null;
  }

  /** The failures Flink recorded for a job (its exception history), oldest last. */
  JsonNode exceptions(String jobId) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + master + "/jobs/" + jobId + "/exceptions"))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("exceptionHistory").path("entries");
  }

  static String script(String... args) throws Exception {
    return ProjectScript.run(SCRIPT, java.util.Map.of(), args);
  }

  static String script(java.util.Map<String, String> env, String... args) throws Exception {
    return ProjectScript.run(SCRIPT, env, args);
  }
}
