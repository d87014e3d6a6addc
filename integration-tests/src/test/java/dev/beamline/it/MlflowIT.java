package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.core.tracking.Journal;
import dev.beamline.spi.tracking.TrackingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking against a real MLflow server (started by the project's script): a run's params, metrics,
 * datasets, artifacts and registered model arrive; Python's mlflow loads the model and predicts what
 * Beamline predicts; Beamline pulls models back by run, version and alias; a journal syncs exactly once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MlflowIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path tmp;
  static MlflowServer server;
  static Path adultRun;
  static String adultRunId;

  @BeforeAll
  static void startServer() throws Exception {
    server = MlflowServer.start(tmp.resolve("mlflow"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static Path spec(String pipeline) {
    return PipelinesIT.ROOT.resolve("pipelines").resolve(pipeline).resolve("pipeline.yaml");
  }

  /** The MLflow run id a run directory was delivered as. */
  static String runId(Path run) throws Exception {
    try (Stream<Path> files = Files.list(run.resolve("tracking"))) {
      Path state = files.filter(p -> p.getFileName().toString().startsWith("sync-")).findFirst().orElseThrow();
      return JSON.readTree(Files.readString(state)).path("state").path("runId").asText();
    }
  }

  /** Params and metric points the journal holds: the exact content the server must have, once. */
  static Map<String, String> journalParams(Path run) throws Exception {
    Map<String, String> params = new HashMap<>();
    for (Journal.Entry e : Journal.read(run)) {
      if (e.event() instanceof TrackingEvent.ParamsLogged p) {
        params.putAll(p.params());
      }
    }
    return params;
  }

  static Map<String, Integer> journalMetricCounts(Path run) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    for (Journal.Entry e : Journal.read(run)) {
      if (e.event() instanceof TrackingEvent.MetricsLogged m) {
        m.points().forEach(x -> counts.merge(x.key(), 1, Integer::sum));
      }
    }
    return counts;
  }

  /** Every param and every metric point of the journal is on the server exactly once. */
  static void assertExactlyOnce(Path run, String runId) throws Exception {
    assertExactlyOnce(server, run, runId);
  }

  static void assertExactlyOnce(MlflowServer server, Path run, String runId) throws Exception {
    JsonNode data = server.run(runId).path("data");
    Map<String, String> params = journalParams(run);
    Map<String, String> onServer = new HashMap<>();
    data.path("params").forEach(p -> onServer.put(p.path("key").asText(), p.path("value").asText()));
    assertEquals(params, onServer, "params on the server");
    Map<String, Integer> counts = journalMetricCounts(run);
    Set<String> keys = new HashSet<>();
    data.path("metrics").forEach(m -> keys.add(m.path("key").asText()));
    assertEquals(counts.keySet(), keys, "metric keys on the server");
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      assertEquals(e.getValue(), server.historySize(runId, e.getKey()), "values of metric " + e.getKey());
    }
  }

  @Test
  @Order(1)
  void aRunArrivesWholeWithItsModelRegisteredUnderAnAlias() throws Exception {
    adultRun = tmp.resolve("adult");
    Cli c = Cli.run("run", spec("adult-income").toString(), "--output", adultRun.toString(), "--tracking-uri", server.uri.toString());
    assertEquals(0, c.code(), c.toString());
    assertTrue(c.out().contains("events delivered to " + server.uri), c.out());
    adultRunId = runId(adultRun);
    JsonNode run = server.run(adultRunId);
    assertEquals("FINISHED", run.path("info").path("status").asText());
    Map<String, String> tags = new HashMap<>();
    run.path("data").path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    assertEquals("adult-income", tags.get("beamline.pipeline"));
    assertEquals("DirectRunner", tags.get("beamline.runner"));
    assertTrue(tags.containsKey("beamline.version") && tags.containsKey("mlflow.user"), tags.toString());
    assertExactlyOnce(adultRun, adultRunId);
    JsonNode metrics = JSON.readTree(Files.readString(adultRun.resolve("metrics.json")));
    double auc = -1;
    for (JsonNode m : run.path("data").path("metrics")) {
      if (m.path("key").asText().equals("test_auc")) {
        auc = m.path("value").asDouble();
      }
    }
    assertEquals(metrics.path("test").path("auc").asDouble(), auc, 1e-12);
    int rounds = JSON.readTree(Files.readString(adultRun.resolve("history.json"))).path("iterations").size();
    assertEquals(rounds, server.historySize(adultRunId, "train-logloss"), "one train-logloss per boosting round");
    assertTrue(journalParams(adultRun).containsKey("trainer.params.max_depth"));

    // Datasets: both inputs with their digests and roles.
    JsonNode inputs = run.path("inputs").path("dataset_inputs");
    assertEquals(2, inputs.size(), inputs.toString());
    assertEquals("train:adult.data", inputs.get(0).path("dataset").path("name").asText());
    assertEquals(32, inputs.get(0).path("dataset").path("digest").asText().length());

    // Artifacts: the run files and the model directory, byte for byte.
    Set<String> top = new HashSet<>();
    server.get("mlflow-artifacts/artifacts", Map.of("path", "1/" + adultRunId + "/artifacts")).path("files")
        .forEach(f -> top.add(f.path("path").asText()));
    assertEquals(Set.of("history.json", "metrics.json", "model", "predictions", "report", "report.html", "run.json", "schema.json", "schema.yaml",
        "statistics.json"), top);

    // Registry: a READY version of this run, tagged with its test metrics, under the alias.
    JsonNode alias = server.get("mlflow/registered-models/alias", Map.of("name", "adult-income", "alias", "challenger")).path("model_version");
    assertEquals(adultRunId, alias.path("run_id").asText());
    assertEquals("READY", alias.path("status").asText());
    Map<String, String> versionTags = new HashMap<>();
    alias.path("tags").forEach(t -> versionTags.put(t.path("key").asText(), t.path("value").asText()));
    assertEquals(metrics.path("test").path("auc").asDouble(), Double.parseDouble(versionTags.get("test_auc")), 1e-6);
    // The first model, with no champion yet, is blessed by its thresholds alone and becomes the champion.
    assertEquals("true", versionTags.get("beamline.blessed"), versionTags.toString());
    assertEquals("true", tags(server.run(adultRunId)).get("beamline.blessed"));
    assertEquals(adultRunId, server.get("mlflow/registered-models/alias", Map.of("name", "adult-income", "alias", "champion"))
        .path("model_version").path("run_id").asText());

    // Few calls: log-batch keeps a run to a few dozen HTTP calls besides its files.
    int calls = Integer.parseInt(JSON.readTree(Files.readString(Files.list(adultRun.resolve("tracking"))
        .filter(p -> p.getFileName().toString().startsWith("sync-")).findFirst().orElseThrow())).path("state").path("httpCalls").asText());
    // One upload per file, and about twenty calls for everything else (params and metrics go in batches).
    long files;
    try (Stream<Path> walk = Files.walk(adultRun)) {
      files = walk.filter(Files::isRegularFile).map(p -> adultRun.relativize(p).toString())
          .filter(p -> !p.startsWith("tracking") && !p.startsWith("rejected")).count();
    }
    assertTrue(calls <= files + 20, calls + " HTTP calls for " + files + " files");
  }

  @Test
  @Order(2)
  void pythonsMlflowLoadsTheModelAndPredictsWhatBeamlinePredicts() throws Exception {
    Path csv = tmp.resolve("adult-test-features.csv");
    int rows = BeamlineScores.write(spec("adult-income"), "test", adultRun, csv);
    assertEquals(16281, rows);
    // The rows Python scores carry the pipeline's own test predictions (predictions/test.csv, by line).
    List<String> pipeline = Files.readAllLines(adultRun.resolve("predictions/test.csv"));
    List<String> scored = Files.readAllLines(csv);
    assertEquals(pipeline.size(), scored.size());
    for (int i = 1; i < pipeline.size(); i++) {
      String[] p = pipeline.get(i).split(",");
      String[] s = scored.get(i).split(",");
      assertEquals(Float.parseFloat(p[p.length - 1]), Float.parseFloat(s[s.length - 1]), 1e-7, "row " + i);
    }
    ProcessBuilder pb = new ProcessBuilder(MlflowServer.python(), PipelinesIT.ROOT.resolve("integration-tests/src/test/python/parity.py").toString(),
        csv.toString(), PipelinesIT.DATASETS.resolve("adult/adult.test").toString(), "1",
        "runs:/" + adultRunId + "/model", "models:/adult-income@challenger");
    pb.environment().put("MLFLOW_TRACKING_URI", server.uri.toString());
    Process py = pb.start();
    py.getOutputStream().close();
    String out = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String err = new String(py.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(py.waitFor(300, TimeUnit.SECONDS), "python timed out");
    assertEquals(0, py.exitValue(), out + err);
    String[] lines = out.split("\n");
    JsonNode parity = JSON.readTree(lines[lines.length - 1]);
    System.out.println("python parity: " + parity);
    assertEquals(16281, parity.path("rows").asInt());
    assertEquals(5, parity.path("input_example_rows").asInt(), "the model's input example scores in Python");
    assertTrue(parity.path("max_abs_diff_pyfunc").asDouble() <= 1e-6, parity.toString());
    assertTrue(parity.path("max_abs_diff_xgboost").asDouble() <= 1e-6, parity.toString());
  }

  @Test
  @Order(3)
  void modelsArePulledByRunVersionAndAliasAndCached() throws Exception {
    Path cache = tmp.resolve("cache");
    byte[] model = Files.readAllBytes(adultRun.resolve("model/model.ubj"));
    String version = server.get("mlflow/registered-models/alias", Map.of("name", "adult-income", "alias", "challenger"))
        .path("model_version").path("version").asText();
    for (String uri : List.of("runs:/" + adultRunId + "/model", "models:/adult-income/" + version, "models:/adult-income@challenger")) {
      Cli c = Cli.run("models", "pull", uri, "--tracking-uri", server.uri.toString(), "--cache", cache.toString());
      assertEquals(0, c.code(), c.toString());
      Path dir = Path.of(c.out().strip());
      assertArrayEquals(model, Files.readAllBytes(dir.resolve("model.ubj")), uri);
      assertEquals(Files.readString(adultRun.resolve("model/MLmodel")) + "run_id: " + adultRunId + "\n", Files.readString(dir.resolve("MLmodel")),
          uri + ": the server's MLmodel names the run, as MLflow's own log_model writes it");
    }
    // The alias and the version resolve to the same cached directory.
    Cli byAlias = Cli.run("models", "pull", "models:/adult-income@challenger", "--tracking-uri", server.uri.toString(), "--cache", cache.toString());
    Cli byVersion = Cli.run("models", "pull", "models:/adult-income/" + version, "--tracking-uri", server.uri.toString(), "--cache", cache.toString());
    assertEquals(byVersion.out(), byAlias.out());
    Cli missing = Cli.run("models", "pull", "models:/adult-income@nosuchalias", "--tracking-uri", server.uri.toString(), "--cache", cache.toString());
    assertEquals(2, missing.code(), missing.toString());
    assertTrue(missing.err().contains("models:/adult-income@nosuchalias"), missing.err());
  }

  @Test
  @Order(3)
  void newDataIsCheckedAgainstATrackedRun() throws Exception {
    Path check = tmp.resolve("validate-data");
    Cli c = Cli.run("validate-data", "--reference", "runs:/" + adultRunId, "--input", PipelinesIT.DATASETS.resolve("adult/adult.test").toString(),
        "--tracking-uri", server.uri.toString(), "--cache", tmp.resolve("run-cache").toString(), "--output", check.toString());
    assertEquals(0, c.code(), c.toString());
    JsonNode report = JSON.readTree(Files.readString(check.resolve("anomalies.json")));
    assertTrue(report.path("passed").asBoolean(), report.toString());
    assertTrue(report.path("drift").path("age").path("jensenShannon").asDouble() < 0.01, report.path("drift").toString());
    assertEquals(16281, JSON.readTree(Files.readString(check.resolve("statistics.json"))).path("datasets").path("input").path("rows").asLong());
  }

  @Test
  @Order(6)
  void aClearlyWorseModelIsNotBlessedAndTheChampionStaysWhileTheChallengerMoves() throws Exception {
    Path worse = tmp.resolve("adult-worse");
    Cli c = Cli.run("run", spec("adult-income").toString(), "--output", worse.toString(), "--tracking-uri", server.uri.toString(),
        "--set", "trainer.params.max_depth=1", "--set", "trainer.rounds=5", "--require-blessing");
    assertEquals(4, c.code(), c.toString());
    assertTrue(c.out().contains("champion: models:/adult-income@champion (version"), c.out());
    assertTrue(c.out().contains("blessed: NO"), c.out());
    String worseRunId = runId(worse);
    JsonNode blessing = JSON.readTree(Files.readString(worse.resolve("metrics.json"))).path("blessing");
    assertEquals(false, blessing.path("blessed").asBoolean(true));
    // The champion was scored by this run on the same test rows: exactly the figures of its own run.
    JsonNode champion = blessing.path("champion").path("test");
    JsonNode own = JSON.readTree(Files.readString(adultRun.resolve("metrics.json"))).path("test");
    assertEquals(own.path("auc").asDouble(), champion.path("auc").asDouble(), 1e-9);
    assertEquals(own.path("rows").asDouble(), champion.path("rows").asDouble());
    assertTrue(blessing.toString().contains("more than the 0.002 allowed: not blessed"), blessing.toString());
    assertEquals("false", tags(server.run(worseRunId)).get("beamline.blessed"));
    assertTrue(tags(server.run(worseRunId)).get("beamline.blessing").contains("against the champion's"));
    assertEquals(adultRunId, server.get("mlflow/registered-models/alias", Map.of("name", "adult-income", "alias", "champion"))
        .path("model_version").path("run_id").asText(), "the champion stays on the first version");
    assertEquals(worseRunId, server.get("mlflow/registered-models/alias", Map.of("name", "adult-income", "alias", "challenger"))
        .path("model_version").path("run_id").asText(), "the challenger follows every new version");
  }

  private static Map<String, String> tags(JsonNode run) {
    Map<String, String> tags = new HashMap<>();
    run.path("data").path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
    return tags;
  }

  @Test
  @Order(5)
  void aFailedRunEndsFailedWithItsError() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("failing"));
    StringBuilder csv = new StringBuilder("a,b,y\n");
    for (int i = 0; i < 60; i++) {
      csv.append(i % 7).append(',').append(i * 0.5).append(',').append(i % 2).append('\n');
    }
    for (int i = 0; i < 20; i++) {
      csv.append("x,1,1\n"); // a third of the rows cannot be read: over the error budget
    }
    Files.writeString(dir.resolve("data.csv"), csv);
    Files.writeString(dir.resolve("pipeline.yaml"), String.join("\n", "name: failing", "sources:", "  data: {type: csv, path: data.csv}",
        "schema:", "  columns: [{name: a, type: numeric}, {name: b, type: numeric}, {name: y, type: numeric}]",
        "label: {column: y, task: binary}", "split: {type: random, testFraction: 0.3}", "features: [{columns: [a, b]}]",
        "trainer: {type: xgboost, rounds: 2, nthread: 1}", ""));
    Cli c = Cli.run("run", dir.resolve("pipeline.yaml").toString(), "--output", dir.resolve("run").toString(),
        "--tracking-uri", server.uri.toString());
    assertEquals(2, c.code(), c.toString());
    List<JsonNode> runs = server.runs("failing");
    assertEquals(1, runs.size());
    JsonNode run = server.run(runs.get(0).path("info").path("run_id").asText());
    assertEquals("FAILED", run.path("info").path("status").asText());
    String error = MlflowServer.tag(run, "beamline.error");
    assertTrue(error.contains("maxRejectedFraction"), error);
    assertTrue(c.out().contains("events delivered to " + server.uri), c.out());
  }

  @Test
  @Order(4)
  void aJournaledRunSyncsExactlyOnce() throws Exception {
    Path run = tmp.resolve("agaricus");
    // Every file goes through the multipart path: the real server's local store answers 501 to mpu/create,
    // and each file is then streamed in one PUT.
    Cli c = Cli.run("run", spec("agaricus").toString(), "--output", run.toString(), "--set", "tracking.tracker.type=mlflow",
        "--set", "tracking.tracker.multipartThresholdMb=0");
    assertEquals(0, c.code(), c.toString());
    assertTrue(c.out().contains("beamline tracking sync --to URI"), c.out());
    Cli first = Cli.run("tracking", "sync", "--to", server.uri.toString(), run.toString());
    assertEquals(0, first.code(), first.toString());
    long total = Journal.read(run).size();
    assertTrue(first.out().contains(total + " of " + total + " events delivered now"), first.out());
    String runId = runId(run);
    Cli again = Cli.run("tracking", "sync", "--to", server.uri.toString(), run.toString());
    assertEquals(0, again.code(), again.toString());
    assertTrue(again.out().contains("0 of " + total + " events delivered now"), again.out());
    assertExactlyOnce(run, runId);
    assertEquals(1, server.runs("agaricus").size(), "one MLflow run for one Beamline run");
    assertEquals("FINISHED", server.run(runId).path("info").path("status").asText());
    Set<String> model = new HashSet<>();
    server.get("mlflow-artifacts/artifacts", Map.of("path", server.run(runId).path("info").path("experiment_id").asText() + "/" + runId
        + "/artifacts/model")).path("files").forEach(f -> model.add(f.path("path").asText()));
    assertTrue(model.containsAll(Set.of("MLmodel", "model.ubj", "transform.json")), model.toString());
  }
}
