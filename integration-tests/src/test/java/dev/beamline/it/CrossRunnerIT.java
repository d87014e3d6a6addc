package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same pipeline on the DirectRunner, on an embedded Flink (parallelism 2) and on a real Flink 1.19
 * standalone cluster (a JobManager and a TaskManager in their own JVMs, parallelism 2) fits the same
 * transform (byte for byte), trains the same model (byte for byte), writes the same test predictions
 * (byte for byte) and reports the same metrics and split sizes. Determinism is by design: row ids from file and line,
 * training rows ordered by id, exact sums, mergeable sketches, metrics from sorted histograms, and
 * transform.json written with sorted keys.
 */
class CrossRunnerIT {
  @TempDir
  static Path tmp;
  static FlinkCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = FlinkCluster.start(tmp.resolve("flink-cluster"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"agaricus", "adult-income"})
  void directRunnerEmbeddedFlinkAndAFlinkClusterAgree(String pipeline) throws Exception {
    Path direct = PipelinesIT.run(tmp.resolve("direct"), pipeline);
    Path embedded = PipelinesIT.run(tmp.resolve("embedded"), pipeline, "--runner=FlinkRunner", "--parallelism=2");
    Path onCluster = PipelinesIT.run(tmp.resolve("cluster"), pipeline, cluster.options());

    // The run really went to the cluster, and finished there.
    String runId = PipelinesIT.json(onCluster.resolve("run.json")).get("runId").asText();
    JsonNode job = cluster.job(runId);
    assertNotNull(job, "no job of run " + runId + " on the cluster: " + cluster.jobs());
    assertEquals("FINISHED", job.path("state").asText());

    for (Path run : new Path[] {direct, embedded, onCluster}) {
      assertFalse(Files.exists(run.resolve("examples")), "the transformed example blocks are removed when the pipeline ends: " + run);
    }
    for (Path other : new Path[] {embedded, onCluster}) {
      assertArrayEquals(Files.readAllBytes(direct.resolve("model/transform.json")), Files.readAllBytes(other.resolve("model/transform.json")),
          "transform.json differs: " + other);
      assertArrayEquals(Files.readAllBytes(direct.resolve("model/model.ubj")), Files.readAllBytes(other.resolve("model/model.ubj")),
          "the boosters differ: " + other);
      assertArrayEquals(Files.readAllBytes(direct.resolve("model/input_example.json")),
          Files.readAllBytes(other.resolve("model/input_example.json")));
      assertArrayEquals(Files.readAllBytes(direct.resolve("predictions/test.csv")), Files.readAllBytes(other.resolve("predictions/test.csv")),
          "the test predictions differ: " + other);
      assertSameMetrics(direct, other);
      assertArrayEquals(Files.readAllBytes(direct.resolve("statistics.json")), Files.readAllBytes(other.resolve("statistics.json")),
          "the data statistics differ (sketches included): " + other);
      assertEquals(PipelinesIT.json(direct.resolve("run.json")).get("splits"), PipelinesIT.json(other.resolve("run.json")).get("splits"));
      assertEquals("FlinkRunner", PipelinesIT.json(other.resolve("run.json")).get("runner").asText());
    }
  }

  /** One seed, one search: the same trials, fold scores, rounds and winner, and the same model, on every runner. */
  @Test
  void aSearchPicksTheSameTrialsScoresAndWinnerOnEveryRunner() throws Exception {
    String[] search = {"--set", MlflowFaultIT.SEARCH, "--set", "evaluator.bootstrap.samples=0", "--set", "report.enabled=false"};
    Path direct = PipelinesIT.run(tmp.resolve("search-direct"), "adult-income", search);
    Path embedded = PipelinesIT.run(tmp.resolve("search-embedded"), "adult-income",
        concat(search, "--runner=FlinkRunner", "--parallelism=2"));
    Path onCluster = PipelinesIT.run(tmp.resolve("search-cluster"), "adult-income", concat(search, cluster.options()));
    JsonNode expected = PipelinesIT.json(direct.resolve("tuning/trials.json"));
    assertEquals(6, expected.path("trials").size());
    for (Path other : new Path[] {embedded, onCluster}) {
      JsonNode actual = PipelinesIT.json(other.resolve("tuning/trials.json"));
      assertEquals(expected.path("best"), actual.path("best"), "the winner: " + other);
      for (int t = 0; t < 6; t++) {
        JsonNode e = expected.path("trials").get(t);
        JsonNode a = actual.path("trials").get(t);
        assertEquals(e.path("values"), a.path("values"), "trial " + (t + 1) + "'s values: " + other);
        assertEquals("done", a.path("status").asText());
        assertSameNumbers(e.path("mean"), a.path("mean"), "trial " + (t + 1) + "'s means on " + other);
        assertSameNumbers(e.path("std"), a.path("std"), "trial " + (t + 1) + "'s deviations on " + other);
        for (int f = 0; f < 3; f++) {
          JsonNode ef = e.path("folds").get(f);
          JsonNode af = a.path("folds").get(f);
          assertSameNumbers(ef.path("metrics"), af.path("metrics"), "trial " + (t + 1) + " fold " + f + " on " + other);
          assertEquals(ef.path("bestIteration"), af.path("bestIteration"));
          assertEquals(ef.path("heldOutRows"), af.path("heldOutRows"));
        }
      }
      assertArrayEquals(Files.readAllBytes(direct.resolve("model/model.ubj")), Files.readAllBytes(other.resolve("model/model.ubj")),
          "the best trial's model: " + other);
    }
  }

  /** k-means on a Flink cluster: the job jar carries the k-means plugin, and the cluster finds the DirectRunner's centres. */
  @Test
  void kMeansFindsTheSameCentresOnAFlinkCluster() throws Exception {
    String[] quick = {"--set", "report.enabled=false", "--set", "evaluator.bootstrap.samples=0"};
    Path direct = PipelinesIT.run(tmp.resolve("kmeans-direct"), "breast-cancer-kmeans", quick);
    Path onCluster = PipelinesIT.run(tmp.resolve("kmeans-cluster"), "breast-cancer-kmeans", concat(quick, cluster.options()));
    assertEquals("FlinkRunner", PipelinesIT.json(onCluster.resolve("run.json")).get("runner").asText());
    assertArrayEquals(Files.readAllBytes(direct.resolve("model/model.json")), Files.readAllBytes(onCluster.resolve("model/model.json")),
        "the centres differ");
    assertArrayEquals(Files.readAllBytes(direct.resolve("predictions/test.csv")), Files.readAllBytes(onCluster.resolve("predictions/test.csv")));
    assertSameMetrics(direct, onCluster);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void aPluginMissingFromTheJobJarIsAClearErrorOnTheWorker() throws Exception {
    // The job jar without the XGBoost plugin (its classes and its line in the merged services file).
    Path full = Path.of(System.getProperty("beamline.jobJar"));
    Path stripped = tmp.resolve("beamline-job-without-xgboost.jar");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(full));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(stripped))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null;) {
        if (e.getName().startsWith("dev/beamline/plugins/xgboost/")) {
          continue;
        }
        byte[] bytes = in.readAllBytes();
        if (e.getName().equals("META-INF/services/dev.beamline.spi.BeamlinePlugin")) {
          bytes = new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.contains("xgboost"))
              .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
    Path run = tmp.resolve("missing-plugin");
    String[] args = {"run", PipelinesIT.ROOT.resolve("pipelines/agaricus/pipeline.yaml").toString(), "--output", run.toString(),
        "--runner=FlinkRunner", "--flinkMaster=" + cluster.master, "--parallelism=2", "--filesToStage=" + stripped};
    Cli c = Cli.run(args);
    assertEquals(2, c.code(), c.toString());
    assertTrue(c.err().contains("no trainer 'xgboost' is installed") && c.err().contains("on worker"), c.err());
    assertFalse(Files.exists(run));
  }

  static void assertSameMetrics(Path expected, Path actual) throws Exception {
    assertSameNumbers(PipelinesIT.json(expected.resolve("metrics.json")), PipelinesIT.json(actual.resolve("metrics.json")),
        actual + ": metrics.json");
  }

  /** The same keys at every level and the same numbers to 1e-9 (splits, intervals, slices). */
  static void assertSameNumbers(JsonNode a, JsonNode b, String where) {
    if (a.isObject()) {
      List<String> namesA = new ArrayList<>();
      List<String> namesB = new ArrayList<>();
      a.fieldNames().forEachRemaining(namesA::add);
      b.fieldNames().forEachRemaining(namesB::add);
      assertEquals(namesA, namesB, where);
      a.fields().forEachRemaining(f -> assertSameNumbers(f.getValue(), b.get(f.getKey()), where + "." + f.getKey()));
    } else if (a.isNumber()) {
      assertEquals(a.asDouble(), b.asDouble(), 1e-9, where);
    } else {
      assertEquals(a, b, where);
    }
  }

}
