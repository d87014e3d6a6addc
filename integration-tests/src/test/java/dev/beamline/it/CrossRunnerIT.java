package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same pipeline on the DirectRunner and on an embedded Flink cluster (parallelism 2) fits the same
 * transform, trains the same model (byte for byte, hence the same predictions) and reports the same
 * metrics. Determinism is by design: row ids from file and line, training rows ordered by id, exact sums,
 * mergeable sketches, metrics from sorted histograms.
 */
class CrossRunnerIT {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"agaricus", "adult-income"})
  void directRunnerAndEmbeddedFlinkAgree(String pipeline) throws IOException {
    Path direct = PipelinesIT.run(tmp.resolve("direct"), pipeline);
    Path flink = PipelinesIT.run(tmp.resolve("flink"), pipeline, "--runner=FlinkRunner", "--parallelism=2");
    assertEquals(PipelinesIT.json(direct.resolve("model/transform.json")), PipelinesIT.json(flink.resolve("model/transform.json")));
    assertArrayEquals(Files.readAllBytes(direct.resolve("model/model.ubj")), Files.readAllBytes(flink.resolve("model/model.ubj")),
        "the boosters differ");
    JsonNode a = PipelinesIT.json(direct.resolve("metrics.json"));
    JsonNode b = PipelinesIT.json(flink.resolve("metrics.json"));
    for (Iterator<Map.Entry<String, JsonNode>> splits = a.fields(); splits.hasNext();) {
      Map.Entry<String, JsonNode> split = splits.next();
      for (Iterator<Map.Entry<String, JsonNode>> m = split.getValue().fields(); m.hasNext();) {
        Map.Entry<String, JsonNode> metric = m.next();
        assertEquals(metric.getValue().asDouble(), b.get(split.getKey()).get(metric.getKey()).asDouble(), 1e-9,
            split.getKey() + "." + metric.getKey());
      }
      assertEquals(split.getValue().size(), b.get(split.getKey()).size());
    }
    assertEquals("FlinkRunner", PipelinesIT.json(flink.resolve("run.json")).get("runner").asText());
  }
}
