package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beamline.core.tracking.Journal;
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
