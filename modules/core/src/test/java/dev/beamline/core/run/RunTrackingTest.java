package dev.beamline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.tracking.TrackingEvent;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTrackingTest {
  @Test
  void paramsAreTheResolvedSpecFlattenedWithoutSecrets() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("name", "adult");
    spec.put("sources", Map.of("db", Map.of("type", "jdbc", "password", "hunter2"),
        "test", Map.of("replace", Map.of("income", Map.of(">50K.", ">50K")))));
    spec.put("trainer", Map.of("type", "xgboost", "params", Map.of("max_depth", 6, "eta", 0.1)));
    spec.put("features", List.of(Map.of("columns", List.of("age", "fnlwgt"), "transforms", List.of(Map.of("type", "zscore")))));
    Map<String, Object> masked = SecretMasks.mask(spec, Set.of("sources.db.password"));
    List<TrackingEvent.ParamsLogged> events = RunTracking.params(masked);
    assertEquals(1, events.size());
    Map<String, String> p = events.get(0).params();
    assertEquals("6", p.get("trainer.params.max_depth"));
    assertEquals("0.1", p.get("trainer.params.eta"));
    assertEquals("[\"age\",\"fnlwgt\"]", p.get("features.0.columns"));
    assertEquals("zscore", p.get("features.0.transforms.0.type"));
    assertEquals("jdbc", p.get("sources.db.type"));
    assertFalse(p.containsKey("sources.db.password"), "a secret is never logged, not even masked");
    // MLflow refuses parameter names with '>' (HTTP 400): a map keyed by data values is one parameter, as JSON.
    assertEquals("{\">50K.\":\">50K\"}", p.get("sources.test.replace.income"));
    assertFalse(p.values().stream().anyMatch(v -> v.contains("hunter2")));
  }

  @Test
  void paramsComeInBatchesOfAtMostAHundred() {
    Map<String, Object> spec = new LinkedHashMap<>();
    IntStream.range(0, 250).forEach(i -> spec.put("k" + i, i));
    List<TrackingEvent.ParamsLogged> events = RunTracking.params(spec);
    assertEquals(List.of(100, 100, 50), events.stream().map(e -> e.params().size()).toList());
  }

  @Test
  void metricsAreFinalValuesPerSplitAndTheHistoryByRound(@TempDir Path dir) throws Exception {
    Path history = dir.resolve("history.json");
    Files.writeString(history, """
        {"bestIteration": 1, "iterations": [
          {"iteration": 0, "train": {"logloss": 0.6}, "validation": {"logloss": 0.65}},
          {"iteration": 1, "train": {"logloss": 0.5}, "validation": {"logloss": 0.55}}]}
        """);
    Map<String, Object> file = dev.beamline.core.json.Json.parseObject("""
        {"train": {"auc": 0.95}, "test": {"auc": 0.93, "ece": null},
         "intervals": {"confidence": 0.95, "samples": 200, "test": {"auc": {"low": 0.92, "high": 0.94, "stderr": 0.005}}},
         "slices": {"sex": {"Female": {"auc": 0.94, "rows": 10}}, "age & sex": {"[28, 37) & Male": {"auc": 0.9}}}}
        """);
    List<TrackingEvent.MetricsLogged> events = RunTracking.metrics(file, history, Instant.ofEpochMilli(1000));
    List<TrackingEvent.MetricPoint> points = events.get(0).points();
    assertTrue(points.contains(new TrackingEvent.MetricPoint("test_auc", 0.93, 0, 1000)));
    assertTrue(points.contains(new TrackingEvent.MetricPoint("train_auc", 0.95, 0, 1000)));
    assertTrue(points.contains(new TrackingEvent.MetricPoint("best_iteration", 1, 0, 1000)));
    assertTrue(points.contains(new TrackingEvent.MetricPoint("validation-logloss", 0.55, 1, 1000)));
    assertTrue(points.stream().noneMatch(x -> x.key().equals("test_ece")), "an undefined metric is not logged");
    assertTrue(points.contains(new TrackingEvent.MetricPoint("test_auc_ci_low", 0.92, 0, 1000)));
    assertTrue(points.contains(new TrackingEvent.MetricPoint("test_auc_ci_high", 0.94, 0, 1000)));
    assertTrue(points.contains(new TrackingEvent.MetricPoint("slice/sex/Female/test_auc", 0.94, 0, 1000)));
    assertTrue(points.contains(new TrackingEvent.MetricPoint("slice/sex/Female/test_rows", 10, 0, 1000)));
    assertTrue(points.contains(new TrackingEvent.MetricPoint("slice/age x sex/28 to 37 x Male/test_auc", 0.9, 0, 1000)));
    assertEquals(12, points.size());
  }

  @Test
  void artifactsAreTheRunFilesButTheJournalAndTheDeadLetters(@TempDir Path dir) throws Exception {
    for (String f : List.of("run.json", "model/MLmodel", "model/model.ubj", "tracking/journal.jsonl", "rejected/part-0.jsonl")) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.writeString(dir.resolve(f), "x");
    }
    assertEquals(List.of("model/MLmodel", "model/model.ubj", "run.json"), RunTracking.artifacts(dir).files());
  }

  @Test
  void theTargetIsTheCommandLineElseTheEnvironmentElseNone() {
    URI cli = URI.create("http://127.0.0.1:1");
    assertEquals(cli, RunTracking.target(cli, Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:2")));
    assertEquals(URI.create("http://127.0.0.1:2"), RunTracking.target(null, Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:2")));
    assertNull(RunTracking.target(null, Map.of()));
    ConfigException e = assertThrows(ConfigException.class, () -> RunTracking.target(null, Map.of("MLFLOW_TRACKING_URI", "http://a b")));
    assertTrue(e.getMessage().startsWith("MLFLOW_TRACKING_URI"), e.getMessage());
  }

  @Test
  void aFileIsADatasetByItsSha256AndADatabaseTableByTheDigestOfItsRows() {
    Map<String, Object> file = new LinkedHashMap<>(Map.of("source", "train", "type", "csv", "path", "/data/adult.data"));
    file.put("sha256", "ab".repeat(32));
    file.put("bytes", 3_974_305L);
    file.put("rowsRead", 32561L);
    Map<String, Object> table = new LinkedHashMap<>(Map.of("source", "test", "type", "jdbc", "path",
        "jdbc:postgresql://db:5432/census table adult_test"));
    table.put("rowsRead", 16281L);
    table.put("rowsDigest", "27e6b0d4f7957ab1");
    List<TrackingEvent.DatasetInput> d = RunTracking.inputs(List.of(file, table),
        new dev.beamline.spi.data.Schema(List.of(dev.beamline.spi.data.Column.numeric("age")))).datasets();
    assertEquals("train:adult.data", d.get(0).name());
    assertEquals("ab".repeat(16), d.get(0).digest());
    assertEquals("file:///data/adult.data", d.get(0).source());
    assertEquals("test:census table adult_test", d.get(1).name());
    assertEquals("27e6b0d4f7957ab1", d.get(1).digest());
    assertEquals("jdbc:postgresql://db:5432/census table adult_test", d.get(1).source());
    assertEquals("{\"rows_digest\":\"27e6b0d4f7957ab1\",\"rows\":16281,\"rows_rejected_by_reader\":null}", d.get(1).profileJson());
  }
}
