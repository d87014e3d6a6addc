package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beamline.core.tracking.Journal;
import dev.beamline.spi.tracking.TrackingEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults lose nothing: the MLflow server stops in the middle of a run (the rest goes to the journal, a
 * later sync delivers it, every param and metric exactly once), and a killed CLI leaves a run that a sync
 * ends as KILLED.
 */
class MlflowFaultIT {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  @TempDir
  Path tmp;
  MlflowServer server;

  @BeforeEach
  void start() throws Exception {
    server = MlflowServer.start(tmp.resolve("mlflow"));
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  /** Waits until the server has a run of the experiment with its params; returns its id. */
  private String awaitRunWithParams(String experiment, Future<?> still, Process process) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (still != null && still.isDone() || process != null && !process.isAlive()) {
        throw new AssertionError("the run ended before its params reached the server");
      }
      for (JsonNode run : server.runs(experiment)) {
        if (run.path("data").path("params").size() > 0) {
          return run.path("info").path("run_id").asText();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no run with params on the server within 120 s");
  }

  @Test
  void aServerOutageMidRunIsJournaledAndSyncedExactlyOnce() throws Exception {
    Path run = tmp.resolve("adult");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Cli> cli = pool.submit(() -> Cli.run("run", MlflowIT.spec("adult-income").toString(), "--output", run.toString(),
          "--tracking-uri", server.uri.toString()));
      String runId = awaitRunWithParams("adult-income", cli, null);
      server.stop();
      Cli c = cli.get(10, TimeUnit.MINUTES);
      assertEquals(0, c.code(), "the run itself succeeds: " + c);
      assertTrue(Files.exists(run.resolve("run.json")), "the run directory is finished");
      assertTrue(c.out().contains("events are kept in the journal"), c.out());
      assertTrue(c.out().contains("beamline tracking sync --to " + server.uri + " " + run), c.out());

      server.restart();
      assertEquals("RUNNING", server.run(runId).path("info").path("status").asText(), "the outage left the MLflow run open");
      Cli sync = Cli.run("tracking", "sync", "--to", server.uri.toString(), run.toString());
      assertEquals(0, sync.code(), sync.toString());
      MlflowIT.assertExactlyOnce(server, run, runId);
      assertEquals("FINISHED", server.run(runId).path("info").path("status").asText());
      assertEquals(1, server.runs("adult-income").size(), "one MLflow run");
      JsonNode versions = server.get("mlflow/model-versions/search", Map.of("filter", "run_id='" + runId + "'")).path("model_versions");
      assertEquals(1, versions.size(), versions.toString());
      assertEquals(runId, server.get("mlflow/registered-models/alias", Map.of("name", "adult-income", "alias", "challenger"))
          .path("model_version").path("run_id").asText());

      Cli again = Cli.run("tracking", "sync", "--to", server.uri.toString(), run.toString());
      assertTrue(again.out().contains("0 of " + Journal.read(run).size() + " events delivered now"), again.out());
      MlflowIT.assertExactlyOnce(server, run, runId);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A search small enough for a test: 6 trials of 3 folds on adult. */
  static final String SEARCH = "tuning={trials: 6, metric: auc, folds: 3, space: {rounds: {choice: [40]}, "
      + "params: {eta: {logUniform: [0.05, 0.3]}, max_depth: {intRange: [3, 8]}}}}";

  @Test
  void aServerOutageMidSearchLosesNoTrial() throws Exception {
    Path run = tmp.resolve("search");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Cli> cli = pool.submit(() -> Cli.run("run", MlflowIT.spec("adult-income").toString(), "--output", run.toString(),
          "--tracking-uri", server.uri.toString(), "--set", SEARCH, "--set", "evaluator.bootstrap.samples=0", "--set", "report.enabled=false"));
      // The server stops once the first trial's nested run is there: the other trials come while it is down.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (server.runs("adult-income").stream().noneMatch(r -> !MlflowServer.tag(r, "mlflow.parentRunId").isEmpty())) {
        assertTrue(System.nanoTime() < deadline && !cli.isDone(), "no trial reached the server");
        Thread.sleep(100);
      }
      server.stop();
      Cli c = cli.get(10, TimeUnit.MINUTES);
      assertEquals(0, c.code(), "the run itself succeeds: " + c);
      assertTrue(c.out().contains("events are kept in the journal"), c.out());

      server.restart();
      Cli sync = Cli.run("tracking", "sync", "--to", server.uri.toString(), run.toString());
      assertEquals(0, sync.code(), sync.toString());
      String runId = MlflowIT.runId(run);
      MlflowIT.assertExactlyOnce(server, run, runId);
      List<TrackingEvent.ChildRun> trials = new ArrayList<>();
      for (Journal.Entry e : Journal.read(run)) {
        if (e.event() instanceof TrackingEvent.ChildRun child) {
          trials.add(child);
        }
      }
      assertEquals(6, trials.size(), "a nested run per trial in the journal");
      List<JsonNode> runs = server.runs("adult-income");
      assertEquals(7, runs.size(), "the run and its 6 trials, each once");
      for (TrackingEvent.ChildRun t : trials) {
        JsonNode onServer = runs.stream().filter(r -> MlflowServer.tag(r, "beamline.run_uid").equals(t.runUid())).findFirst().orElseThrow();
        assertEquals(runId, MlflowServer.tag(onServer, "mlflow.parentRunId"));
        assertEquals("FINISHED", onServer.path("info").path("status").asText());
        Map<String, String> params = new java.util.HashMap<>();
        onServer.path("data").path("params").forEach(p -> params.put(p.path("key").asText(), p.path("value").asText()));
        assertEquals(t.params(), params);
        Map<String, Integer> points = new java.util.HashMap<>();
        t.metrics().forEach(m -> points.merge(m.key(), 1, Integer::sum));
        for (String key : List.of("mean_auc", "std_auc", "fold2_auc", "fold0/validation-auc")) {
          assertEquals(points.get(key), server.historySize(onServer.path("info").path("run_id").asText(), key), key + " of " + t.runName());
        }
      }
      assertEquals(String.valueOf(JSON.readTree(run.resolve("tuning/trials.json").toFile()).path("best").asInt()),
          MlflowServer.tag(server.run(runId), "beamline.tuning.best_trial"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aKilledCliLeavesARunThatSyncEndsAsKilled() throws Exception {
    Path run = tmp.resolve("killed");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
        "-cp", System.getProperty("java.class.path"), "dev.beamline.cli.Beamline", "run", MlflowIT.spec("adult-income").toString(),
        "--output", run.toString(), "--tracking-uri", server.uri.toString()));
    Process cli = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
    String runId;
    try {
      runId = awaitRunWithParams("adult-income", null, cli);
    } finally {
      cli.destroyForcibly(); // SIGKILL: no shutdown hook, no chance to end the run
      assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
    }
    assertFalse(Files.exists(run), "a killed run never looks finished");
    Path partial;
    try (Stream<Path> dirs = Files.list(tmp)) {
      partial = dirs.filter(p -> p.getFileName().toString().startsWith(".killed.partial-")).findFirst().orElseThrow();
    }
    assertEquals("RUNNING", server.run(runId).path("info").path("status").asText());
    Cli sync = Cli.run("tracking", "sync", "--to", server.uri.toString(), partial.toString());
    assertEquals(0, sync.code(), sync.toString());
    assertTrue(sync.out().contains("ended as KILLED"), sync.out());
    JsonNode mlflowRun = server.run(runId);
    assertEquals("KILLED", mlflowRun.path("info").path("status").asText());
    String error = MlflowServer.tag(mlflowRun, "beamline.error");
    assertTrue(error.contains("ended before the run finished"), error);
    MlflowIT.assertExactlyOnce(server, partial, runId);
    assertEquals(1, server.runs("adult-income").size());
  }
}
