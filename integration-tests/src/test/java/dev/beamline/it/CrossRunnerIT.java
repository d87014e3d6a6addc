package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same pipeline on the DirectRunner, on an embedded Flink (parallelism 2) and on a real Flink 1.19
 * standalone cluster (a JobManager and a TaskManager in their own JVMs, parallelism 2) fits the same
 * transform (byte for byte), trains the same model (byte for byte, hence the same predictions) and
 * reports the same metrics and split sizes. Determinism is by design: row ids from file and line,
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

    for (Path other : new Path[] {embedded, onCluster}) {
      assertArrayEquals(Files.readAllBytes(direct.resolve("model/transform.json")), Files.readAllBytes(other.resolve("model/transform.json")),
          "transform.json differs: " + other);
      assertArrayEquals(Files.readAllBytes(direct.resolve("model/model.ubj")), Files.readAllBytes(other.resolve("model/model.ubj")),
          "the boosters differ: " + other);
      assertArrayEquals(Files.readAllBytes(direct.resolve("model/input_example.json")),
          Files.readAllBytes(other.resolve("model/input_example.json")));
      assertSameMetrics(direct, other);
      assertEquals(PipelinesIT.json(direct.resolve("run.json")).get("splits"), PipelinesIT.json(other.resolve("run.json")).get("splits"));
      assertEquals("FlinkRunner", PipelinesIT.json(other.resolve("run.json")).get("runner").asText());
    }
  }

  static void assertSameMetrics(Path expected, Path actual) throws Exception {
    JsonNode a = PipelinesIT.json(expected.resolve("metrics.json"));
    JsonNode b = PipelinesIT.json(actual.resolve("metrics.json"));
    for (Iterator<Map.Entry<String, JsonNode>> splits = a.fields(); splits.hasNext();) {
      Map.Entry<String, JsonNode> split = splits.next();
      for (Iterator<Map.Entry<String, JsonNode>> m = split.getValue().fields(); m.hasNext();) {
        Map.Entry<String, JsonNode> metric = m.next();
        assertEquals(metric.getValue().asDouble(), b.get(split.getKey()).get(metric.getKey()).asDouble(), 1e-9,
            actual + ": " + split.getKey() + "." + metric.getKey());
      }
      assertEquals(split.getValue().size(), b.get(split.getKey()).size());
    }
  }
}
