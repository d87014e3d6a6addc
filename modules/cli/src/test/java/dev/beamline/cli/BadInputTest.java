package dev.beamline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input the CLI must explain: exit code 2 and one line naming the file, line, key or
 * column; or, where a row alone is at fault, a dead-letter row with its reason.
 */
class BadInputTest {
  @TempDir
  Path dir;

  private String out;
  private String err;

  private static final String SPEC = String.join("\n",
      "name: tiny",
      "sources:",
      "  data:",
      "    type: csv",
      "    path: data.csv",
      "    maxRejectedFraction: 0.2",
      "schema:",
      "  columns:",
      "    - {name: a, type: numeric}",
      "    - {name: b, type: numeric}",
      "    - {name: c, type: categorical}",
      "    - {name: y, type: numeric}",
      "label: {column: y, task: binary}",
      "split: {type: random, testFraction: 0.3}",
      "features:",
      "  - columns: [a, b]",
      "  - column: c",
      "    transforms: [{type: vocabulary}]",
      "trainer:",
      "  type: xgboost",
      "  rounds: 3",
      "  nthread: 1",
      "");

  @BeforeEach
  void data() throws IOException {
    StringBuilder csv = new StringBuilder("a,b,c,y\n");
    for (int i = 0; i < 60; i++) {
      csv.append(i % 7).append(',').append(i * 0.5).append(',').append(i % 3 == 0 ? "red" : "blue").append(',')
          .append(i % 2).append('\n');
    }
    Files.writeString(dir.resolve("data.csv"), csv);
  }

  private int run(String spec, String... extra) throws IOException {
    Path file = dir.resolve("pipeline.yaml");
    Files.writeString(file, spec);
    List<String> args = new ArrayList<>(List.of("run", file.toString(), "--output", dir.resolve("run").toString()));
    args.addAll(List.of(extra));
    return execute(args.toArray(String[]::new));
  }

  private int execute(String... args) {
    CliRun run = CliRun.of(args);
    out = run.out();
    err = run.err();
    return run.code();
  }

  private void assertBadInput(int code, String... fragments) {
    assertEquals(2, code, "exit code; stderr: " + err);
    assertEquals(1, err.strip().lines().count(), "one line: " + err);
    for (String f : fragments) {
      assertTrue(err.contains(f), "'" + f + "' not in: " + err);
    }
  }

  private String rejectedRows() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("run/rejected"))) {
      StringBuilder sb = new StringBuilder();
      for (Path p : files.toList()) {
        sb.append(Files.readString(p));
      }
      return sb.toString();
    }
  }

  @Test
  void goodSpecRunsAndWritesTheRunDirectory() throws IOException {
    assertEquals(0, run(SPEC), err);
    for (String f : List.of("metrics.json", "history.json", "run.json", "schema.json", "model/model.ubj", "model/transform.json",
        "model/MLmodel")) {
      assertTrue(Files.exists(dir.resolve("run").resolve(f)), f);
    }
    assertTrue(out.contains("auc"), out);
    assertTrue(out.contains("ingest") && out.contains("rows in 60"), out);
  }

  /** The tiny pipeline as k-means clustering: no label column (the data's y is just another column), c's categories one-hot. */
  private static final String CLUSTERING = SPEC.replace("label: {column: y, task: binary}", "label: {task: clustering}")
      .replace("transforms: [{type: vocabulary}]", "transforms: [{type: vocabulary, encoding: onehot}]")
      .replace("  type: xgboost\n  rounds: 3\n  nthread: 1\n", "  type: kmeans\n  k: 3\n");

  @Test
  void aClusteringRunNeedsNoLabelAndReportsItsClusters() throws IOException {
    assertEquals(0, run(CLUSTERING), err);
    String predictions = Files.readString(dir.resolve("run/predictions/test.csv"));
    assertTrue(predictions.startsWith("source,file,line,label,cluster,distance\n"), predictions);
    assertTrue(predictions.lines().skip(1).allMatch(l -> l.matches(".*,[0-2],[0-9.E-]+$")), predictions);
    assertTrue(Files.exists(dir.resolve("run/model/model.json")));
    String metrics = Files.readString(dir.resolve("run/metrics.json"));
    assertTrue(metrics.contains("\"silhouette\"") && metrics.contains("\"inertia\"") && metrics.contains("\"ari\" : null"), metrics);
  }

  @Test
  void clusteringMistakesAreNamed() throws IOException {
    assertBadInput(run(CLUSTERING.replace("type: kmeans\n  k: 3", "type: xgboost")), "trainer.type", "use trainer.type: kmeans");
    assertBadInput(run(SPEC.replace("type: xgboost\n  rounds: 3\n  nthread: 1", "type: kmeans\n  k: 3")), "trainer.type: kmeans",
        "label.task: clustering");
    assertBadInput(run(CLUSTERING.replace("  k: 3\n", "")), "trainer", "missing required key 'k'");
    assertBadInput(run(CLUSTERING.replace("type: random, testFraction", "type: stratified, testFraction")), "split.type",
        "clustering learns without one");
    assertBadInput(run(CLUSTERING.replace("label: {task: clustering}", "label: {task: clustering, column: y, positive: [\"1\"]}")),
        "label.positive", "no positive class");
    assertBadInput(run(CLUSTERING.replace("label: {task: clustering}", "label: {task: clustering, column: a}")), "features",
        "'a' is the label");
  }

  @Test
  void kMeansNamesAFeatureMissingInTraining() throws IOException {
    Files.writeString(dir.resolve("data.csv"), Files.readString(dir.resolve("data.csv")).replace("\n3,1.5,", "\n,1.5,"));
    int code = run(CLUSTERING);
    assertEquals(2, code, err);
    assertTrue(err.contains("features: 'a' is missing in training row") && err.contains("impute"), err);
  }

  /** evaluator.splits: the training rows are not scored again; the test rows are, and their predictions written. */
  @Test
  void aRunCanLeaveTheTrainingSplitUnscored() throws IOException {
    assertEquals(0, run(SPEC + "evaluator: {splits: [test]}\n"), err);
    String metrics = Files.readString(dir.resolve("run/metrics.json"));
    assertTrue(metrics.contains("\"train\" : { }") && metrics.contains("\"auc\""), "no training metrics, the test's: " + metrics);
    assertTrue(Files.readString(dir.resolve("run/predictions/test.csv")).lines().count() > 1);
    assertTrue(out.matches("(?s).*predict +finished [^\\n]* rows in 60 +out 20 .*") && metrics.contains("\"rows\" : 20.0"),
        "only the 20 test rows scored: " + out);
  }

  /** A text label whose declared positive values are not the data's: refused before training, naming the values' key. */
  @Test
  void aClassificationWhoseTrainingRowsHoldOneClassIsRefused() throws IOException {
    String textLabel = SPEC.replace("label: {column: y, task: binary}", "label: {column: c, task: binary, positive: [green]}")
        .replace("  - column: c\n    transforms: [{type: vocabulary}]\n", "");
    assertBadInput(run(textLabel), "label.positive [green]: none of the", "training rows has one of these values in column 'c'",
        "statistics.json, datasets.train.columns.c.values");
    assertBadInput(run(textLabel.replace("positive: [green]", "positive: [red, blue]")), "all", "so there is no class 0");
    assertEquals(0, run(textLabel.replace("positive: [green]", "positive: [red]")), err);
  }

  @Test
  void aTimeSplitOnANumericColumnNeedsNumericBoundaries() throws IOException {
    String time = SPEC.replace("split: {type: random, testFraction: 0.3}", "split: {type: time, column: a, testFrom: soon}");
    assertBadInput(run(time), "pipeline.yaml:", "split.testFrom: 'soon' is not a number", "time column 'a' is numeric");
    assertEquals(0, run(time.replace("testFrom: soon", "testFrom: 5")), err);
  }

  @Test
  void missingInputFile() throws IOException {
    assertBadInput(run(SPEC.replace("path: data.csv", "path: nope.csv")), "pipeline.yaml", "sources.data.path", "nope.csv");
  }

  @Test
  void missingPipelineFile() {
    assertBadInput(execute("run", dir.resolve("absent.yaml").toString()), "absent.yaml", "no such file");
  }

  @Test
  void unreadableYaml() throws IOException {
    assertBadInput(run("name: tiny\nsources: [a, b\n"), "pipeline.yaml:", "not valid YAML");
  }

  @Test
  void unknownStageIdentifier() throws IOException {
    assertBadInput(run(SPEC.replace("type: xgboost", "type: xgbost")), "pipeline.yaml:20", "trainer.type",
        "no trainer 'xgbost'", "installed trainers: decision-tree, kmeans, linear, random-forest, xgboost");
  }

  @Test
  void unknownConfigKey() throws IOException {
    assertBadInput(run(SPEC.replace("rounds: 3", "roundz: 3")), "trainer", "unknown key 'roundz'", "rounds");
  }

  @Test
  void labelColumnAbsentFromTheData() throws IOException {
    assertBadInput(run(SPEC.replace("column: y,", "column: income,")), "pipeline.yaml:13", "label.column", "'income'",
        "columns: [a, b, c, y]");
  }

  @Test
  void nonNumericValueGoesToTheDeadLetterOutput() throws IOException {
    Files.writeString(dir.resolve("data.csv"), Files.readString(dir.resolve("data.csv")) + "abc,1,red,1\n");
    assertEquals(0, run(SPEC), err);
    String rejected = rejectedRows();
    assertTrue(rejected.contains("column 'a' (field 1): 'abc' is not a number") && rejected.contains("\"line\":62"), rejected);
    assertTrue(out.contains("1 rows rejected"), out);
  }

  @Test
  void aDateTheFormatCannotReadGoesToTheDeadLettersAndPredictJudgesItByThePolicy() throws IOException {
    StringBuilder csv = new StringBuilder("a,d,y\n");
    for (int i = 0; i < 60; i++) {
      csv.append(i % 7).append(",2024/").append(String.format("%02d/%02d", 1 + i % 12, 1 + i % 28)).append(',').append(i % 2).append('\n');
    }
    Files.writeString(dir.resolve("dated.csv"), csv + "3,2024/02/30,1\n");
    String spec = String.join("\n",
        "name: dated",
        "sources: {data: {type: csv, path: dated.csv, maxRejectedFraction: 0.2}}",
        "schema: {columns: [{name: a, type: numeric}, {name: d, type: categorical}, {name: y, type: numeric}]}",
        "label: {column: y, task: binary}",
        "split: {type: random, testFraction: 0.3}",
        "features:",
        "  - columns: [a]",
        "  - column: d",
        "    transforms: [{type: datetime, format: yyyy/MM/dd, parts: [month, dayOfWeek]}]",
        "trainer: {type: xgboost, rounds: 3, nthread: 1}",
        "");
    assertBadInput(run(spec.replace("parts: [month, dayOfWeek]", "parts: [month, weekday]")), "pipeline.yaml:9",
        "unknown part 'weekday'", "dayOfWeek");
    assertEquals(0, run(spec), err);
    String rejected = rejectedRows();
    assertTrue(rejected.contains("column 'd': '2024/02/30' is not a date in the format yyyy/MM/dd") && rejected.contains("\"line\":62"),
        rejected);
    assertTrue(out.contains("1 rows rejected"), out);
    assertTrue(Files.readString(dir.resolve("run/model/transform.json")).contains("datetime"));

    Files.writeString(dir.resolve("new.csv"), "a,d,y\n1,2024/03/01,1\n2,01/03/2024,0\n");
    assertEquals(0, execute("predict", "--model", dir.resolve("run").toString(), "--input", dir.resolve("new.csv").toString(),
        "--output", dir.resolve("scored").toString(), "--on", "wrong_type=reject", "--max-rejected-fraction", "1"), err);
    assertEquals(2, Files.readAllLines(dir.resolve("scored/predictions.csv")).size(), "the readable row is scored");
    StringBuilder scoredOut = new StringBuilder();
    try (Stream<Path> files = Files.list(dir.resolve("scored/rejected"))) {
      for (Path p : files.toList()) {
        scoredOut.append(Files.readString(p));
      }
    }
    assertTrue(scoredOut.toString().contains("\"line\":3") && scoredOut.toString().contains("column 'd': wrong_type: '01/03/2024' is not a date"),
        scoredOut.toString());
  }

  @Test
  void rowWithTooManyOrTooFewFieldsGoesToTheDeadLetterOutput() throws IOException {
    Files.writeString(dir.resolve("data.csv"), Files.readString(dir.resolve("data.csv")) + "1,2\n1,2,red,1,9\n");
    assertEquals(0, run(SPEC), err);
    String rejected = rejectedRows();
    assertTrue(rejected.contains("expected 4 fields, found 2") && rejected.contains("expected 4 fields, found 5"), rejected);
  }

  @Test
  void tooManyRejectedRowsFailTheRun() throws IOException {
    StringBuilder bad = new StringBuilder(Files.readString(dir.resolve("data.csv")));
    for (int i = 0; i < 20; i++) {
      bad.append("x,1,red,1\n");
    }
    Files.writeString(dir.resolve("data.csv"), bad);
    assertBadInput(run(SPEC), "source 'data'", "20 of 80 rows", "maxRejectedFraction 0.2000");
    assertFalse(Files.exists(dir.resolve("run")), "a failed run leaves no finished-looking directory");
  }

  @Test
  void emptyTrainingSplit() throws IOException {
    Files.writeString(dir.resolve("data.csv"), "a,b,c,y\n");
    assertBadInput(run(SPEC), "training split is empty");
    assertFalse(Files.exists(dir.resolve("run")));
  }

  @Test
  void validateChecksWithoutRunning() throws IOException {
    Files.writeString(dir.resolve("pipeline.yaml"), SPEC);
    assertEquals(0, execute("validate", dir.resolve("pipeline.yaml").toString()), err);
    assertTrue(out.contains("valid"), out);
    assertFalse(Files.exists(dir.resolve("run")));
    assertEquals(2, execute("validate", dir.resolve("pipeline.yaml").toString(), "--set", "trainer.params.max_dept=3"));
    assertTrue(err.contains("'max_dept'"), err);
  }

  @Test
  void pluginsListsEveryBuiltInStage() {
    assertEquals(0, execute("plugins"));
    for (String id : List.of("csv", "libsvm", "zscore", "minmax", "bucketize", "vocabulary", "impute", "log1p", "hash", "xgboost",
        "standard")) {
      assertTrue(out.lines().anyMatch(l -> l.startsWith(id + " ")), id + " missing from:\n" + out);
    }
  }

  @Test
  void badBeamOptionIsBadInput() throws IOException {
    assertBadInput(run(SPEC, "--runner=NoSuchRunner"), "NoSuchRunner");
  }

  @Test
  void predictAndServeExplainWhatIsWrongWithTheModelOrTheirOptions() throws IOException {
    assertEquals(0, run(SPEC), err);
    Path model = dir.resolve("run");
    String input = dir.resolve("data.csv").toString();
    assertBadInput(execute("predict", "--model", dir.resolve("absent").toString(), "--input", input), "absent", "no such file");
    assertBadInput(execute("predict", "--model", dir.toString(), "--input", input), dir.toString(), "not a model directory");
    assertBadInput(execute("predict", "--model", model.toString(), "--input", input, "--on", "unseen=reject"), "--on", "unknown problem 'unseen'");
    assertBadInput(execute("predict", "--model", model.toString(), "--input", input, "--format", "xml"), "--format xml");
    assertBadInput(execute("predict", "--model", model.toString(), "--input", input, "--keep", "nope"), "--keep nope", "no such column");
    assertBadInput(execute("predict", "--model", model.toString(), "--input", input, "--set", "source.delimiterr=;"), "delimiterr");
    assertBadInput(execute("predict", "--model", model.toString(), "--input", input, "--set", "trainer.rounds=3"), "source.KEY=VALUE");
    assertBadInput(execute("predict", "--model", model.toString(), "--input", input, "--set", "source.type=jdbc"),
        "--input: the source 'jdbc' reads no files; to read data.csv name its source: --set source.type=csv");
    assertBadInput(execute("predict", "--model", model.toString()), "--input: name at least one file to read with the source 'csv'");
    assertBadInput(execute("predict", "--model", model.toString(), "--input", input, "--output-table", "scores"),
        "--output-table scores: the rows come from files (source 'csv')");
    assertBadInput(execute("serve", "--model", dir.toString()), "not a model directory");
    assertBadInput(execute("serve", "--model", model.toString(), "--port", "70000"), "--port 70000");
    assertBadInput(execute("serve", "--model", "models:/tiny@champion"), "MLFLOW_TRACKING_URI");
    assertBadInput(execute("serve"), "--model: give a run directory");
    assertBadInput(execute("image"), "--model: give the model to serve", "--job");
    assertBadInput(execute("image", "--job", "--model", model.toString()), "--job and --model: give one");
    assertBadInput(execute("image", "--model", model.toString(), "--base", "tar://" + dir.resolve("none.tar")), "none.tar", "bin/base-image");
  }

  @Test
  void predictScoresTheTrainingFileAndRejectsWhatThePolicySays() throws IOException {
    assertEquals(0, run(SPEC), err);
    Files.writeString(dir.resolve("new.csv"), "a,b,c,y\n1,0.5,red,1\n2,1.5,green,0\n3,x,blue,1\n");
    assertEquals(0, execute("predict", "--model", dir.resolve("run").toString(), "--input", dir.resolve("new.csv").toString(),
        "--output", dir.resolve("scored").toString(), "--on", "unseen_category=reject", "--max-rejected-fraction", "1", "--keep", "c"), err);
    List<String> lines = Files.readAllLines(dir.resolve("scored/predictions.csv"));
    assertEquals("source,file,line,c,label,probability", lines.get(0));
    assertEquals(2, lines.size(), "one row scored: " + lines);
    assertTrue(lines.get(1).startsWith("input," + dir.resolve("new.csv") + ",2,red,1,"), lines.get(1));
    String rejected;
    try (Stream<Path> files = Files.list(dir.resolve("scored/rejected"))) {
      StringBuilder sb = new StringBuilder();
      for (Path p : files.toList()) {
        sb.append(Files.readString(p));
      }
      rejected = sb.toString();
    }
    assertTrue(rejected.contains("\"line\":3") && rejected.contains("unseen_category: 'green'"), rejected);
    assertTrue(rejected.contains("\"line\":4") && rejected.contains("'x'"), "the reader rejects a non-number: " + rejected);
    assertTrue(out.contains("scored 1 rows, rejected 2"), out);
    assertBadInput(execute("predict", "--model", dir.resolve("run").toString(), "--input", dir.resolve("new.csv").toString(),
        "--output", dir.resolve("scored-again").toString(), "--on", "unseen_category=reject"), "2 of 3 rows", "--max-rejected-fraction");
  }

  @Test
  void predictScoresFilesWithoutTheLabelAndNamesAMissingFeatureColumn() throws IOException {
    assertEquals(0, run(SPEC), err);
    Path model = dir.resolve("run");
    Files.writeString(dir.resolve("unlabelled.csv"), "c,b,a\nred,0.5,1\nblue,,2\n");
    assertEquals(0, execute("predict", "--model", model.toString(), "--input", dir.resolve("unlabelled.csv").toString(),
        "--output", dir.resolve("scored").toString(), "--keep", "a", "--format", "jsonl"), err);
    List<String> lines = Files.readAllLines(dir.resolve("scored/predictions.jsonl"));
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).matches("\\{\"source\":\"input\",\"file\":\".*unlabelled.csv\",\"line\":2,\"a\":1.0,\"label\":null,"
        + "\"probability\":0\\.[0-9]+}"), lines.get(0));
    assertTrue(lines.get(1).contains("\"line\":3,\"a\":2.0,\"label\":null,"), "a missing value is scored as missing: " + lines.get(1));
    assertTrue(out.contains("scored 2 rows"), out);

    Files.writeString(dir.resolve("no-b.csv"), "a,c\n1,red\n");
    assertBadInput(execute("predict", "--model", model.toString(), "--input", dir.resolve("no-b.csv").toString(),
        "--output", dir.resolve("scored-no-b").toString()), "no-b.csv:1", "no column 'b'", "may be absent");
  }
}
