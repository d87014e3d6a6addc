package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager dies while two workers train together on a real cluster of two single-slot TaskManagers. When one
 * comes back, Flink reruns the workers, they meet again at the tracker (a new generation of the same group), and the
 * run finishes with the model an undisturbed run of two workers makes. When none comes back, the run fails with
 * exit code 1 and the cause.
 */
class DistributedFaultIT {
  /** Long enough to be interrupted in training: 1500 rounds, no early stop. */
  private static final List<String> LONG = List.of("--set", "trainer.workers=2", "--set", "trainer.rounds=1500", "--set",
      "trainer.earlyStoppingRounds=1500");

  @TempDir
  Path tmp;
  FlinkCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private String[] args(Path output, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of("run", PipelinesIT.ROOT.resolve("pipelines/adult-income/pipeline.yaml").toString(),
        "--output", output.toString()));
    all.addAll(LONG);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** Waits until both workers have begun to train on the cluster. */
  private void awaitTraining(Future<?> cli) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < deadline) {
      assertFalse(cli.isDone(), "the run ended before it could be interrupted");
      String logs = cluster.taskManagerLogs();
      if (logs.contains("worker 0 of 2 trains on") && logs.contains("worker 1 of 2 trains on")) {
        Thread.sleep(3000); // into the rounds
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the workers did not begin to train within 180 s" + cluster.logTails());
  }

  @Test
  void theWorkersTrainAgainWhenATaskManagerComesBackAndMakeTheUndisturbedModel() throws Exception {
    cluster = FlinkCluster.start(tmp.resolve("flink-cluster"), java.util.Map.of("FLINK_TASKMANAGERS", "2", "FLINK_SLOTS", "1"));
    Path run = tmp.resolve("recovered");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Cli> cli = pool.submit(() -> Cli.run(args(run, "--runner=FlinkRunner", "--flinkMaster=" + cluster.master, "--parallelism=2")));
      awaitTraining(cli);
      cluster.killTaskManager(2);
      cluster.startTaskManager();
      Cli c = cli.get(10, TimeUnit.MINUTES);
      assertEquals(0, c.code(), c + cluster.logTails());
      String logs = cluster.taskManagerLogs();
      assertTrue(logs.split("worker 1 of 2 trains on", -1).length - 1 >= 2, "worker 1 trained twice: before the loss and after");

      Path undisturbed = PipelinesIT.run(tmp.resolve("undisturbed"), "adult-income", LONG.toArray(String[]::new));
      assertArrayEquals(Files.readAllBytes(undisturbed.resolve("model/model.ubj")), Files.readAllBytes(run.resolve("model/model.ubj")),
          "the recovered run's model is the undisturbed one's");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void withoutATaskManagerComingBackTheRunFailsWithTheCause() throws Exception {
    cluster = FlinkCluster.start(tmp.resolve("flink-cluster"), java.util.Map.of("FLINK_TASKMANAGERS", "2", "FLINK_SLOTS", "1",
        "FLINK_RESTART_ATTEMPTS", "0"));
    Path run = tmp.resolve("failed");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Cli> cli = pool.submit(() -> Cli.run(args(run, "--runner=FlinkRunner", "--flinkMaster=" + cluster.master, "--parallelism=2")));
      awaitTraining(cli);
      long killed = System.nanoTime();
      cluster.killTaskManager(2);
      Cli c = cli.get(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - killed) / 1e9;
      assertEquals(1, c.code(), c + cluster.logTails());
      String err = c.err().toLowerCase();
      // Flink reports the first failure it saw: the lost TaskManager, or the other worker losing its peer.
      assertTrue(err.contains("job failed") && (err.contains("taskmanager") || err.contains("task manager")
          || err.contains("of 2 lost the training group: a peer stopped answering")), "names the cause: " + c.err());
      assertFalse(Files.exists(run), "no run directory that looks finished");
      assertTrue(seconds < 120, "the surviving worker does not hold the run up: it failed " + seconds + " s after the loss");
    } finally {
      pool.shutdownNow();
    }
  }
}
