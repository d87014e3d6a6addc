package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TaskManager dies in the middle of a job on a real Flink cluster. When a TaskManager comes back (as a
 * supervisor would restart it), Flink's restart strategy recovers the job and the run finishes with the
 * same results as on the DirectRunner. When none comes back, the run fails with exit code 1, a message
 * naming the cause, and no run directory that looks finished.
 */
class FlinkFaultIT {
  /** Long enough to be interrupted: 1500 boosting rounds on adult (about 30 s on the cluster). */
  private static final String[] LONG = {"--set", "trainer.rounds=1500", "--set", "trainer.earlyStoppingRounds=1500"};

  @TempDir
  Path tmp;
  FlinkCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private String[] args(Path output) {
    String[] base = {"run", MlflowIT.spec("adult-income").toString(), "--output", output.toString()};
    String[] all = new String[base.length + LONG.length + 3];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(LONG, 0, all, base.length, LONG.length);
    System.arraycopy(cluster.options(), 0, all, base.length + LONG.length, 3);
    return all;
  }

  /** Waits until the cluster runs a job with at least {@code tasks} of its tasks finished; returns its id. */
  private String awaitRunningJob(int tasks, Future<?> cli) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      assertFalse(cli.isDone(), "the run ended before it could be interrupted");
      for (JsonNode j : cluster.jobs()) {
        if (j.path("state").asText().equals("RUNNING") && j.path("tasks").path("finished").asInt() >= tasks) {
          return j.path("jid").asText();
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no running job within 120 s");
  }

  @Test
  void aJobRecoversWhenTheTaskManagerComesBackAndGivesTheSameResults() throws Exception {
    cluster = FlinkCluster.start(tmp.resolve("flink-cluster")); // restarts a failed job up to 10 times
    Path run = tmp.resolve("recovered");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Cli> cli = pool.submit(() -> Cli.run(args(run)));
      String job = awaitRunningJob(40, cli);
      cluster.killTaskManager();
      cluster.startTaskManager();
      Cli c = cli.get(10, TimeUnit.MINUTES);
      assertEquals(0, c.code(), c + cluster.logTails());
      JsonNode failures = cluster.exceptions(job);
      assertTrue(failures.size() >= 1, "Flink recorded the lost TaskManager and restarted the job: " + failures);

      String[] direct = {"run", MlflowIT.spec("adult-income").toString(), "--output", tmp.resolve("direct").toString(), LONG[0], LONG[1],
          LONG[2], LONG[3]};
      assertEquals(0, Cli.run(direct).code());
      Path reference = tmp.resolve("direct");
      assertArrayEquals(Files.readAllBytes(reference.resolve("model/model.ubj")), Files.readAllBytes(run.resolve("model/model.ubj")));
      assertArrayEquals(Files.readAllBytes(reference.resolve("model/transform.json")), Files.readAllBytes(run.resolve("model/transform.json")));
      CrossRunnerIT.assertSameMetrics(reference, run);
      assertEquals(PipelinesIT.json(reference.resolve("run.json")).get("splits"), PipelinesIT.json(run.resolve("run.json")).get("splits"),
          "row counts are those of the successful attempt only");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aJobWhoseTaskManagerNeverComesBackFailsClearlyAndLeavesNoFinishedRun() throws Exception {
    // Without restarts the lost TaskManager fails the job at once (with restarts and no TaskManager coming
    // back, it fails the same way once the attempts are used up, 23 s each).
    cluster = FlinkCluster.start(tmp.resolve("flink-cluster"), java.util.Map.of("FLINK_RESTART_ATTEMPTS", "0"));
    Path run = tmp.resolve("failed");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Cli> cli = pool.submit(() -> Cli.run(args(run)));
      awaitRunningJob(40, cli);
      cluster.killTaskManager();
      Cli c = cli.get(10, TimeUnit.MINUTES);
      assertEquals(1, c.code(), c + cluster.logTails());
      assertTrue(c.err().startsWith("error: "), c.err());
      String err = c.err().toLowerCase();
      assertTrue(err.contains("job failed") && err.contains("recovery is suppressed")
          && (err.contains("taskmanager") || err.contains("task manager")), "names the cause: " + c.err());
      assertFalse(Files.exists(run), "no run directory that looks finished");
      try (Stream<Path> dirs = Files.list(tmp)) {
        assertTrue(dirs.anyMatch(p -> p.getFileName().toString().startsWith(".failed.partial-")), "the partial output is kept aside");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
