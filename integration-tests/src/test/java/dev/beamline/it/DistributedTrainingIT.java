package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trainer.workers: 2}: two workers train one model together, each on its share of the rows, through XGBoost's
 * tracker in the launcher. The model is the same, byte for byte, on the DirectRunner, on embedded Flink and on a real
 * cluster of two TaskManagers (one slot each, so each worker runs in a TaskManager of its own); its quality is that of
 * one worker's model; a runner that cannot run both at once is refused before the run starts.
 */
class DistributedTrainingIT {
  @TempDir
  static Path tmp;
  static FlinkCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = FlinkCluster.start(tmp.resolve("flink-cluster"), Map.of("FLINK_TASKMANAGERS", "2", "FLINK_SLOTS", "1"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void twoWorkersTrainTheSameModelOnEveryRunnerAsGoodAsOne() throws Exception {
    Path one = PipelinesIT.run(tmp.resolve("one"), "adult-income");
    Path direct = PipelinesIT.run(tmp.resolve("direct"), "adult-income", "--set", "trainer.workers=2");
    Path embedded = PipelinesIT.run(tmp.resolve("embedded"), "adult-income", "--set", "trainer.workers=2", "--runner=FlinkRunner",
        "--parallelism=2");
    Path onCluster = PipelinesIT.run(tmp.resolve("cluster"), "adult-income", "--set", "trainer.workers=2", "--runner=FlinkRunner",
        "--flinkMaster=" + cluster.master, "--parallelism=2");

    for (Path other : List.of(embedded, onCluster)) {
      assertArrayEquals(Files.readAllBytes(direct.resolve("model/model.ubj")), Files.readAllBytes(other.resolve("model/model.ubj")),
          "two workers grow the same trees on every runner: " + other);
      assertArrayEquals(Files.readAllBytes(direct.resolve("predictions/test.csv")), Files.readAllBytes(other.resolve("predictions/test.csv")));
    }
    JsonNode info = PipelinesIT.json(direct.resolve("model/trainer.json")).get("info");
    assertEquals(2, info.get("workers").asInt());
    JsonNode alone = PipelinesIT.json(one.resolve("model/trainer.json")).get("info");
    assertEquals(alone.get("trainRows").asLong(), info.get("trainRows").asLong(), "the group's rows are every training row");
    assertTrue(info.get("memberTrainRows").asLong() < info.get("trainRows").asLong() * 0.55, "a worker holds about half: " + info);
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(one.resolve("model/model.ubj")), Files.readAllBytes(direct.resolve("model/model.ubj"))),
        "the sketches of two shares are merged: not one worker's model");
    assertClose(one, direct, "auc", 0.002);

    // On the cluster each worker had a task, and a TaskManager, of its own (which TaskManager runs task 1 is Flink's choice).
    Pattern trained = Pattern.compile("worker (\\d) of 2 trains on \\d+ training and \\d+ validation rows in task (\\d)/2");
    List<String> seen = new java.util.ArrayList<>();
    java.util.Set<String> taskManagers = new java.util.HashSet<>();
    try (var logs = Files.list(cluster.dir.resolve("log"))) {
      for (Path log : logs.filter(l -> l.getFileName().toString().startsWith("taskmanager-")).sorted().toList()) {
        Matcher m = trained.matcher(Files.readString(log));
        while (m.find()) {
          seen.add("worker " + m.group(1) + " task " + m.group(2));
          taskManagers.add(log.getFileName().toString());
        }
      }
    }
    assertEquals(List.of("worker 0 task 1", "worker 1 task 2"), seen.stream().sorted().toList(), "worker p runs in task p + 1"
        + cluster.logTails());
    assertEquals(2, taskManagers.size(), "one worker per TaskManager: " + taskManagers);
  }

  @Test
  void qualityMatchesOneWorkersOnOtherData() throws Exception {
    assertClose(PipelinesIT.run(tmp.resolve("agaricus-one"), "agaricus"),
        PipelinesIT.run(tmp.resolve("agaricus-two"), "agaricus", "--set", "trainer.workers=2"), "auc", 0.002);
    Path one = PipelinesIT.run(tmp.resolve("housing-one"), "california-housing");
    Path two = PipelinesIT.run(tmp.resolve("housing-two"), "california-housing", "--set", "trainer.workers=2");
    double rmseOne = PipelinesIT.json(one.resolve("metrics.json")).get("test").get("rmse").asDouble();
    double rmseTwo = PipelinesIT.json(two.resolve("metrics.json")).get("test").get("rmse").asDouble();
    System.out.printf("test rmse: one worker %.6f, two workers %.6f%n", rmseOne, rmseTwo);
    assertTrue(Math.abs(rmseTwo - rmseOne) <= 0.01 * rmseOne, "test rmse alone " + rmseOne + ", two workers " + rmseTwo);
  }

  @Test
  void aClusterWithoutASlotPerWorkerIsRefusedBeforeTheRunStarts() {
    Path out = tmp.resolve("refused");
    Cli c = Cli.run("run", PipelinesIT.ROOT.resolve("pipelines/adult-income/pipeline.yaml").toString(), "--output", out.toString(),
        "--set", "trainer.workers=3", "--runner=FlinkRunner", "--flinkMaster=" + cluster.master, "--parallelism=3");
    assertEquals(2, c.code(), c.err());
    assertTrue(c.err().contains("trainer.workers: 3 workers need the job's 3 tasks (--parallelism) running at once, and the Flink cluster at "
        + cluster.master + " has 2 free task slots"), c.err());
    assertFalse(Files.exists(out), "nothing was run");

    Cli fallback = Cli.run("run", PipelinesIT.ROOT.resolve("pipelines/agaricus/pipeline.yaml").toString(), "--output",
        tmp.resolve("fallback").toString(), "--set", "trainer.workers=2", "--set", "trainer.workersUnavailable=single", "--targetParallelism=2");
    assertEquals(0, fallback.code(), fallback.err());
    assertTrue(fallback.out().contains("warning: trainer.workers: 2 workers need the DirectRunner to run 3 tasks at once"), fallback.out());
  }

  private static void assertClose(Path one, Path two, String metric, double tolerance) throws Exception {
    double a = PipelinesIT.json(one.resolve("metrics.json")).get("test").get(metric).asDouble();
    double b = PipelinesIT.json(two.resolve("metrics.json")).get("test").get(metric).asDouble();
    System.out.printf("test %s: one worker %.6f, two workers %.6f%n", metric, a, b);
    assertTrue(Math.abs(a - b) <= tolerance, "test " + metric + " one worker " + a + ", two " + b);
  }
}
