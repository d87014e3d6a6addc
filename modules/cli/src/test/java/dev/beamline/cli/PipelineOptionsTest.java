package dev.beamline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits, tasks and weights end to end on a small generated dataset. */
class PipelineOptionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @BeforeEach
  void data() throws IOException {
    // 300 rows: x in 0..9, day 2024-01-01.., fold, a three-class text label that depends on x, a weight.
    StringBuilder csv = new StringBuilder("x,noise,day,fold,kind,w\n");
    for (int i = 0; i < 300; i++) {
      int x = i % 10;
      csv.append(x).append(',').append((i * 7919) % 13).append(',')
          .append(String.format("2024-%02d-%02d", 1 + i / 28, 1 + i % 28)).append(',')
          .append(i % 5 == 0 ? "test" : i % 5 == 1 ? "validation" : "train").append(',')
          .append(x < 3 ? "low" : x < 7 ? "mid" : "high").append(',').append(1 + i % 2).append('\n');
    }
    Files.writeString(dir.resolve("d.csv"), csv);
  }

  private JsonNode run(String label, String split, String extra) throws IOException {
    return run(label, split, extra, "[x, noise]");
  }

  private JsonNode run(String label, String split, String extra, String features) throws IOException {
    return run(label, split, extra, features, "d.csv");
  }

  private JsonNode run(String label, String split, String extra, String features, String paths) throws IOException {
    String spec = String.join("\n",
        "name: options",
        "sources: {data: {type: csv, path: " + paths + "}}",
        "label: " + label,
        "split: " + split,
        "features:",
        "  - columns: " + features,
        "trainer: {type: xgboost, rounds: 5, nthread: 1}",
        extra,
        "");
    Files.writeString(dir.resolve("p.yaml"), spec);
    Path run = dir.resolve("run-" + System.nanoTime());
    CliRun cli = CliRun.of("run", dir.resolve("p.yaml").toString(), "--output", run.toString());
    assertEquals(0, cli.code(), cli.err());
    JsonNode result = JSON.createObjectNode()
        .set("run", JSON.readTree(Files.readString(run.resolve("run.json"))));
    ((com.fasterxml.jackson.databind.node.ObjectNode) result).set("metrics", JSON.readTree(Files.readString(run.resolve("metrics.json"))));
    lastOut = cli.out();
    lastRun = run;
    return result;
  }

  private String lastOut;
  private Path lastRun;

  @Test
  void everyStageSaysOnceThatItFinished() throws IOException {
    run("{column: kind, task: multiclass}", "{type: random, testFraction: 0.3}", "");
    for (String stage : List.of("ingest", "split", "statistics", "fit", "transform", "train", "predict", "evaluate")) {
      long finished = lastOut.lines().filter(l -> l.matches("  " + stage + " +finished .*")).count();
      assertEquals(1, finished, stage + " in:\n" + lastOut);
    }
  }

  @Test
  void statisticsDescribeEverySplitOfTheRun() throws IOException {
    JsonNode r = run("{column: kind, task: multiclass}", "{type: column, column: fold}", "statistics: {topValues: 2, histogramBins: 5}");
    JsonNode splits = JSON.readTree(Files.readString(lastRun.resolve("statistics.json"))).path("datasets");
    // The fold column puts rows i = 0, 5 (mod 10) in test, 1, 6 in validation, the rest in train; x = i mod 10.
    Map<String, double[]> expected = Map.of("test", new double[] {60, 0, 5, 2.5, 2}, "validation", new double[] {60, 1, 6, 3.5, 2},
        "train", new double[] {180, 2, 9, 5.5, 6});
    for (String split : List.of("train", "validation", "test")) {
      JsonNode s = splits.path(split);
      double[] e = expected.get(split);
      assertEquals(r.path("run").path("splits").path(split).asLong(), s.path("rows").asLong(), split);
      assertEquals((long) e[0], s.path("rows").asLong(), split);
      JsonNode x = s.path("columns").path("x");
      assertEquals((long) e[0], x.path("count").asLong(), split);
      assertEquals(0, x.path("missing").asLong(), split);
      assertEquals(e[1], x.path("min").asDouble(), split);
      assertEquals(e[2], x.path("max").asDouble(), split);
      assertEquals(e[3], x.path("mean").asDouble(), 1e-12, split);
      assertEquals((long) e[4], x.path("distinct").asLong(), split);
      assertEquals(5, x.path("histogram").path("counts").size(), split);
      long binned = 0;
      for (JsonNode c : x.path("histogram").path("counts")) {
        binned += c.asLong();
      }
      assertEquals((long) e[0], binned, split);
      JsonNode kind = s.path("columns").path("kind");
      assertTrue(kind.path("top").size() <= 2, split);
      long counted = 0;
      for (JsonNode c : kind.path("values")) {
        counted += c.asLong();
      }
      assertEquals((long) e[0], counted, split);
    }
    assertEquals("low", splits.path("test").path("columns").path("kind").path("top").get(0).path("value").asText()); // 30 low, 30 mid: ties by value
    assertEquals(java.util.List.of("high", "mid"), java.util.List.of( // train: x 7, 8, 9 high (90 rows), 3, 4 mid (60), 2 low (30)
        splits.path("train").path("columns").path("kind").path("top").get(0).path("value").asText(),
        splits.path("train").path("columns").path("kind").path("top").get(1).path("value").asText()));
    assertTrue(lastOut.lines().anyMatch(l -> l.matches("  statistics +finished .*")), lastOut);
  }

  @Test
  void statisticsCanBeTurnedOff() throws IOException {
    run("{column: kind, task: multiclass}", "{type: random}", "statistics: {enabled: false}");
    assertFalse(Files.exists(lastRun.resolve("statistics.json")));
    assertTrue(lastOut.lines().noneMatch(l -> l.contains("statistics")), lastOut);
  }

  @Test
  void multiClassTextLabelsFitTheirClasses() throws IOException {
    JsonNode r = run("{column: kind, task: multiclass}", "{type: random, testFraction: 0.3}", "");
    assertEquals("[\"high\",\"low\",\"mid\"]", r.get("run").get("model").get("classes").toString());
    assertEquals(1.0, r.get("metrics").get("test").get("accuracy").asDouble(), 1e-12, "x decides the class");
    assertTrue(r.get("metrics").get("test").has("macro_f1"));
    List<String> predictions = Files.readAllLines(lastRun.resolve("predictions/test.csv"));
    assertEquals("source,file,line,label,p_high,p_low,p_mid", predictions.get(0), "fitted class names head the columns");
    assertEquals(r.get("run").get("splits").get("test").asInt() + 1, predictions.size(), "one line per test row");
  }

  @Test
  void splitByAColumnNamingTheSplit() throws IOException {
    JsonNode r = run("{column: kind, task: multiclass}", "{type: column, column: fold}", "");
    JsonNode splits = r.get("run").get("splits");
    assertEquals(180, splits.get("train").asInt());
    assertEquals(60, splits.get("validation").asInt());
    assertEquals(60, splits.get("test").asInt());
  }

  @Test
  void splitByTime() throws IOException {
    JsonNode r = run("{column: kind, task: multiclass}", "{type: time, column: day, testFrom: '2024-10-01', validationFrom: '2024-09-01'}", "");
    JsonNode splits = r.get("run").get("splits");
    // Months 1..8 (8 x 28 = 224 rows) train, month 9 validation (28), months 10..11 test (48).
    assertEquals(224, splits.get("train").asInt());
    assertEquals(28, splits.get("validation").asInt());
    assertEquals(48, splits.get("test").asInt());
  }

  @Test
  void stratifiedSplitKeepsClassProportions() throws IOException {
    JsonNode r = run("{column: kind, task: multiclass}", "{type: stratified, testFraction: 0.2, validationFraction: 0.25}", "");
    // Classes of 90, 120 and 90 rows: 18 + 24 + 18 test; a quarter of the rest validation.
    assertEquals(60, r.get("run").get("splits").get("test").asInt());
    assertEquals(60, r.get("run").get("splits").get("validation").asInt());
    assertEquals(60, r.get("metrics").get("test").get("rows").asInt());
  }

  @Test
  void regressionWithSampleWeights() throws IOException {
    JsonNode r = run("{column: noise, task: regression}", "{type: random, testFraction: 0.25}",
        "weight: w\nevaluator: {type: standard, metrics: [rmse, r2]}", "[x]");
    assertTrue(r.get("metrics").get("test").has("rmse"));
    assertTrue(r.get("metrics").get("test").get("r2").asDouble() < 1.0);
  }

  @Test
  void rowsAreCountedPerInputFile() throws IOException {
    java.util.List<String> lines = Files.readAllLines(dir.resolve("d.csv"));
    Files.write(dir.resolve("d2.csv"), lines.subList(0, 101));
    Files.writeString(dir.resolve("d2.csv"), "1,2,2024-01-01,train,low,1,extra\n", java.nio.file.StandardOpenOption.APPEND);
    JsonNode r = run("{column: kind, task: multiclass}", "{type: random}", "", "[x, noise]", "[d.csv, d2.csv]");
    JsonNode inputs = r.get("run").get("inputs");
    assertEquals(2, inputs.size());
    assertEquals(300, inputs.get(0).get("rowsRead").asInt());
    assertEquals(101, inputs.get(1).get("rowsRead").asInt());
    assertEquals(1, inputs.get(1).get("rowsRejectedByReader").asInt());
    assertEquals(0, inputs.get(0).get("rowsRejectedByReader").asInt());
  }

  @Test
  void slicesGetEveryMetricOfTheirOwnTestRows() throws IOException {
    JsonNode r = run("{column: kind, task: binary, positive: [high]}", "{type: random, testFraction: 0.4}",
        "evaluator: {type: standard, slices: [kind, {column: x, buckets: 3}, {cross: [fold, kind]}], bootstrap: {samples: 0}}");
    JsonNode slices = r.path("metrics").path("slices");
    assertEquals(List.of("kind", "x", "fold & kind"), iterable(slices.fieldNames()));
    // Recount each slice from the predictions file and the data: rows and accuracy at the 0.5 threshold.
    List<String> data = Files.readAllLines(dir.resolve("d.csv"));
    Map<String, int[]> byKind = new java.util.TreeMap<>();
    List<Double> xs = new java.util.ArrayList<>();
    List<String> predictions = Files.readAllLines(lastRun.resolve("predictions/test.csv"));
    for (String p : predictions.subList(1, predictions.size())) {
      String[] f = p.split(",");
      String[] row = data.get(Integer.parseInt(f[2]) - 1).split(",");
      boolean correct = (Double.parseDouble(f[4]) >= 0.5) == f[3].equals("1");
      int[] counts = byKind.computeIfAbsent(row[4], k -> new int[2]);
      counts[0]++;
      counts[1] += correct ? 1 : 0;
      xs.add(Double.parseDouble(row[0]));
    }
    assertEquals(byKind.keySet(), new java.util.TreeSet<>(iterable(slices.path("kind").fieldNames())));
    byKind.forEach((kind, counts) -> {
      assertEquals(counts[0], slices.path("kind").path(kind).path("rows").asInt(), kind);
      assertEquals((double) counts[1] / counts[0], slices.path("kind").path(kind).path("accuracy").asDouble(), 1e-12, kind);
    });
    // x in 0..9 cut in three at the training split's quantiles: "< a", "[a, b)", ">= b", in that order, counting the test rows.
    List<String> buckets = iterable(slices.path("x").fieldNames());
    assertEquals(3, buckets.size(), buckets.toString());
    assertTrue(buckets.get(0).startsWith("< ") && buckets.get(1).startsWith("[") && buckets.get(2).startsWith(">= "), buckets.toString());
    double a = Double.parseDouble(buckets.get(0).substring(2));
    double b = Double.parseDouble(buckets.get(2).substring(3));
    assertEquals("[" + Math.round(a) + ", " + Math.round(b) + ")", buckets.get(1));
    assertEquals(xs.stream().filter(x -> x < a).count(), slices.path("x").path(buckets.get(0)).path("rows").asLong());
    assertEquals(xs.stream().filter(x -> x >= a && x < b).count(), slices.path("x").path(buckets.get(1)).path("rows").asLong());
    assertEquals(xs.stream().filter(x -> x >= b).count(), slices.path("x").path(buckets.get(2)).path("rows").asLong());
    long crossRows = 0;
    for (JsonNode m : slices.path("fold & kind")) {
      crossRows += m.path("rows").asLong();
    }
    assertEquals(predictions.size() - 1, crossRows, "every test row is in one slice of the cross");
    assertTrue(iterable(slices.path("fold & kind").fieldNames()).contains("test & low"), slices.toString());
    assertTrue(lastOut.contains("test split by slice"), lastOut);
    assertFalse(r.path("metrics").has("intervals"), "samples: 0 turns the intervals off");
  }

  @Test
  void bootstrapIntervalsHoldTheTestMetricAndRepeatExactly() throws IOException {
    String evaluator = "evaluator: {type: standard, bootstrap: {samples: 100, confidence: 0.9}}";
    // Noise alone predicts the label poorly, so that every metric varies between replicates.
    String label = "{column: kind, task: binary, positive: [high]}";
    JsonNode first = run(label, "{type: random, testFraction: 0.4}", evaluator, "[noise]").path("metrics");
    JsonNode again = run(label, "{type: random, testFraction: 0.4}", evaluator, "[noise]").path("metrics");
    JsonNode intervals = first.path("intervals");
    assertEquals(0.9, intervals.path("confidence").asDouble());
    assertEquals(100, intervals.path("samples").asInt());
    for (String metric : List.of("logloss", "accuracy")) {
      JsonNode ci = intervals.path("test").path(metric);
      double value = first.path("test").path(metric).asDouble();
      assertTrue(ci.path("low").asDouble() <= value && value <= ci.path("high").asDouble(), metric + " " + value + " in " + ci);
      assertTrue(ci.path("low").asDouble() < ci.path("high").asDouble(), metric + ": " + ci);
      assertTrue(ci.path("stderr").asDouble() > 0, metric + ": " + ci);
    }
    assertFalse(intervals.path("test").has("rows"));
    assertEquals(intervals, again.path("intervals"), "the same seed draws the same replicates");
    assertTrue(lastOut.contains("90% interval (test, 100 bootstrap samples)"), lastOut);
  }

  @Test
  void requireBlessingExitsFourWhenTheThresholdsAreMissedAndTwoWithoutABlessingSection() throws IOException {
    String label = "{column: kind, task: binary, positive: [high]}";
    run(label, "{type: random}", "blessing: {thresholds: {auc: {min: 0.5}}}");
    assertTrue(lastOut.contains("blessed: yes") && lastOut.contains("auc 1 is at least the threshold 0.5"), lastOut);
    Files.writeString(dir.resolve("p.yaml"), Files.readString(dir.resolve("p.yaml")).replace("min: 0.5", "min: 1.01"));
    CliRun cli = CliRun.of("run", dir.resolve("p.yaml").toString(), "--output", dir.resolve("unblessed").toString(), "--require-blessing");
    assertEquals(4, cli.code(), cli.out() + cli.err());
    assertTrue(cli.out().contains("auc 1 is below the threshold 1.01: not blessed"), cli.out());
    assertTrue(cli.err().contains("the model was not blessed (--require-blessing)"), cli.err());
    JsonNode blessing = JSON.readTree(Files.readString(dir.resolve("unblessed/metrics.json"))).path("blessing");
    assertFalse(blessing.path("blessed").asBoolean(true));
    Files.writeString(dir.resolve("p.yaml"), Files.readString(dir.resolve("p.yaml")).replaceAll("blessing: .*", ""));
    cli = CliRun.of("run", dir.resolve("p.yaml").toString(), "--output", dir.resolve("none").toString(), "--require-blessing");
    assertEquals(2, cli.code(), cli.out() + cli.err());
    assertTrue(cli.err().contains("--require-blessing: ") && cli.err().contains("has no blessing section"), cli.err());
    Files.writeString(dir.resolve("p.yaml"), Files.readString(dir.resolve("p.yaml")) + "blessing: {thresholds: {rmse: {max: 1}}}\n");
    cli = CliRun.of("run", dir.resolve("p.yaml").toString(), "--output", dir.resolve("bad").toString());
    assertEquals(2, cli.code(), cli.out() + cli.err());
    assertTrue(cli.err().contains("blessing.thresholds.rmse: the evaluator reports no metric 'rmse'"), cli.err());
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
