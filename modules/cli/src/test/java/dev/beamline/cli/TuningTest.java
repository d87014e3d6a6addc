package dev.beamline.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search in a run: checked by validate, run as a fan-out, reported, recorded, and the same for the same seed. */
class TuningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path dir;

  private static final String SPEC = String.join("\n",
      "name: tuned",
      "sources: {data: {type: csv, path: data.csv}}",
      "schema:",
      "  columns:",
      "    - {name: a, type: numeric}",
      "    - {name: b, type: numeric}",
      "    - {name: c, type: categorical}",
      "    - {name: y, type: numeric}",
      "label: {column: y, task: binary}",
      "split: {type: random, testFraction: 0.25}",
      "features:",
      "  - columns: [a, b]",
      "    transforms: [{type: zscore}]",
      "  - column: c",
      "    transforms: [{type: vocabulary}]",
      "trainer: {type: xgboost, rounds: 20, nthread: 1}",
      "evaluator: {type: standard, bootstrap: {samples: 0}}",
      "report: {enabled: false}",
      "tuning:",                                     // line 19
      "  trials: 4",
      "  metric: auc",
      "  folds: 3",
      "  space:",
      "    params:",
      "      eta: {logUniform: [0.05, 0.5]}",       // line 25
      "      max_depth: {intRange: [2, 5]}",
      "");

  @BeforeAll
  static void data() throws IOException {
    StringBuilder csv = new StringBuilder("a,b,c,y\n");
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 400; i++) {
      double a = r.nextGaussian();
      double b = r.nextGaussian();
      String c = i % 3 == 0 ? "red" : i % 3 == 1 ? "blue" : "green";
      int y = a + 0.5 * b + (c.equals("red") ? 0.7 : 0) + 0.8 * r.nextGaussian() > 0.3 ? 1 : 0;
      csv.append(a).append(',').append(b).append(',').append(c).append(',').append(y).append('\n');
    }
    Files.writeString(dir.resolve("data.csv"), csv);
    Files.writeString(dir.resolve("pipeline.yaml"), SPEC);
  }

  private static CliRun cli(String... args) {
    return CliRun.of(args);
  }

  private static CliRun run(String output, String... extra) {
    List<String> args = new ArrayList<>(List.of("run", dir.resolve("pipeline.yaml").toString(), "--output", dir.resolve(output).toString()));
    args.addAll(List.of(extra));
    return cli(args.toArray(String[]::new));
  }

  private static void assertBadInput(CliRun r, String... fragments) {
    assertEquals(2, r.code(), r.err());
    for (String f : fragments) {
      assertTrue(r.err().contains(f), "'" + f + "' not in: " + r.err());
    }
  }

  @Test
  void validateDescribesTheSearchAndNamesTheLineOfAKeyTheTrainerDoesNotHave() throws IOException {
    CliRun ok = cli("validate", dir.resolve("pipeline.yaml").toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("search: random, 4 trials over params.eta, params.max_depth; 3-fold stratified; by auc (higher is better); "
        + "the winner retrained on every training row for its folds' rounds"), ok.out());
    assertTrue(!ok.out().contains("one thread a trial"), "the pipeline sets trainer.nthread, and the trials keep it: " + ok.out());
    Path unset = dir.resolve("threads-unset.yaml");
    Files.writeString(unset, SPEC.replace(", nthread: 1}", "}"));
    CliRun threads = cli("validate", unset.toString());
    assertEquals(0, threads.code(), threads.err());
    assertTrue(threads.out().contains("by auc (higher is better); one thread a trial;"), threads.out());
    String yaml = dir.resolve("pipeline.yaml").toString();
    assertBadInput(cli("validate", yaml, "--set", "tuning.space.params.etaa={uniform: [0.1, 0.2]}"), "pipeline.yaml:",
        "tuning.space.params.etaa", "unknown key 'etaa'");
    assertBadInput(cli("validate", yaml, "--set", "tuning.space.roundz={choice: [10]}"), "tuning.space.roundz", "unknown key 'roundz'");
    assertBadInput(cli("validate", yaml, "--set", "tuning.space.objective={choice: [binary:logistic, reg:squarederror]}"),
        "tuning.space.objective (reg:squarederror)", "binary");
    assertBadInput(cli("validate", yaml, "--set", "tuning.metric=rmse"), "pipeline.yaml:21", "tuning.metric",
        "the evaluator reports no metric 'rmse'", "auc");
    assertBadInput(cli("validate", yaml, "--set", "tuning.groupBy=user", "--set", "tuning.stratified=false"), "tuning.groupBy",
        "'user' is not a column");
    assertBadInput(cli("validate", yaml, "--set", "tuning.folds=split"), "tuning.folds", "has none");
  }

  @Test
  void crossValidationAloneReportsEachFoldAndTheirMeanAndDeviation() throws IOException {
    CliRun r = run("cv", "--set", "tuning={folds: 5, metric: logloss}");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("trial 1/1     (the settings as given)  logloss "), r.out());
    JsonNode trial = JSON.readTree(dir.resolve("cv/tuning/trials.json").toFile()).path("trials").get(0);
    assertEquals(5, trial.path("folds").size());
    double sum = 0;
    for (JsonNode f : trial.path("folds")) {
      sum += f.path("metrics").path("logloss").asDouble();
    }
    assertEquals(sum / 5, trial.path("mean").path("logloss").asDouble(), 1e-12);
    assertTrue(trial.path("std").path("logloss").asDouble() > 0);
    assertEquals("{}", JSON.readTree(dir.resolve("cv/model/trainer.json").toFile()).path("trialValues").toString(),
        "the model is the pipeline's settings, trained on the whole training split");
  }

  @Test
  void withFoldsTheValidationSplitTrainsAndTheModelTrainsTheRoundsItsFoldsKept() throws IOException {
    CliRun r = run("refit", "--set", "split.validationFraction=0.2", "--set", "trainer.rounds=200", "--set", "trainer.earlyStoppingRounds=3",
        "--set", "trainer.params={eta: 0.3}", "--set", "tuning={folds: 3, metric: logloss}");
    assertEquals(0, r.code(), r.err() + r.out());
    JsonNode search = JSON.readTree(dir.resolve("refit/tuning/trials.json").toFile());
    JsonNode folds = search.path("trials").get(0).path("folds");
    double kept = 0;
    for (JsonNode f : folds) {
      assertTrue(f.path("bestIteration").asInt() + 1 < f.path("iterations").asInt(), "each fold stops early: " + f);
      kept += f.path("bestIteration").asInt() + 1;
    }
    int rounds = (int) Math.round(kept / 3);
    assertEquals(rounds, search.path("refit").path("rounds").asInt());
    assertTrue(r.out().contains("retrained on every training row (the validation split's too) for " + rounds + " rounds"), r.out());
    JsonNode trainer = JSON.readTree(dir.resolve("refit/model/trainer.json").toFile());
    assertEquals(rounds, trainer.path("refitRounds").asInt());
    assertEquals(rounds, JSON.readTree(dir.resolve("refit/history.json").toFile()).path("iterations").size(),
        "the model trains exactly those rounds, with no early stopping");
    JsonNode metrics = JSON.readTree(dir.resolve("refit/metrics.json").toFile());
    assertEquals(0, metrics.path("validation").size(), "no validation rows: " + metrics);
    int dealt = folds.get(0).path("trainRows").asInt() + folds.get(0).path("heldOutRows").asInt();
    assertEquals(metrics.path("train").path("rows").asInt(), dealt, "the folds part every training row, the validation split's too");
    assertEquals(400, dealt + metrics.path("test").path("rows").asInt());
  }

  @Test
  void successiveHalvingPromotesTheBestOfEachRungWithMoreRounds() throws IOException {
    CliRun r = run("halving", "--set", "tuning.strategy=halving", "--set", "tuning.trials=9", "--set", "trainer.earlyStoppingRounds=0");
    assertEquals(0, r.code(), r.err() + r.out());
    assertTrue(r.out().contains("trial 1/9     rung 1/3 (2 rounds) eta="), r.out());
    JsonNode search = JSON.readTree(dir.resolve("halving/tuning/trials.json").toFile());
    assertEquals("[{\"trials\":9,\"rounds\":2},{\"trials\":3,\"rounds\":7},{\"trials\":1,\"rounds\":20}]", search.path("rungs").toString());
    List<double[]> firstRung = new ArrayList<>();
    int[] reached = new int[4];
    for (JsonNode t : search.path("trials")) {
      reached[t.path("rung").asInt()]++;
      JsonNode rung1 = t.path("rung").asInt() == 1 ? t : t.path("rungs").get(0);
      firstRung.add(new double[] {t.path("rung").asInt(), rung1.path("mean").path("auc").asDouble()});
      for (JsonNode f : (t.path("rung").asInt() == 1 ? t : t.path("rungs").get(0)).path("folds")) {
        assertEquals(2, f.path("iterations").asInt(), "the first rung trains 2 rounds");
      }
    }
    assertEquals(6, reached[1]);
    assertEquals(2, reached[2]);
    assertEquals(1, reached[3], "one trial climbs to the last rung");
    // The three promoted from the first rung are its three best.
    firstRung.sort((a, b) -> Double.compare(b[1], a[1]));
    for (int i = 0; i < 9; i++) {
      assertEquals(i < 3, firstRung.get(i)[0] >= 2, "rank " + (i + 1) + " of the first rung");
    }
    JsonNode best = search.path("trials").get(search.path("best").asInt() - 1);
    assertEquals(3, best.path("rung").asInt(), "the winner is the trial of the last rung");
    assertEquals(20, JSON.readTree(dir.resolve("halving/history.json").toFile()).path("iterations").size(),
        "the run's model trains the last rung's rounds (the trainer's)");
  }

  @Test
  void aSearchRunsEveryTrialReportsThemAndTrainsTheBestAndOneSeedGivesOneAnswer() throws IOException {
    CliRun first = run("run1");
    assertEquals(0, first.code(), first.err() + first.out());
    for (int t = 1; t <= 4; t++) {
      assertTrue(first.out().contains("trial " + t + "/4"), first.out());
    }
    assertTrue(first.out().contains("search: random, 4 trials (4 done), 3-fold stratified, by auc (higher is better)"), first.out());
    JsonNode trials = JSON.readTree(dir.resolve("run1/tuning/trials.json").toFile());
    int best = trials.path("best").asInt();
    double bestScore = trials.path("trials").get(best - 1).path("mean").path("auc").asDouble();
    for (JsonNode t : trials.path("trials")) {
      assertEquals("done", t.path("status").asText());
      assertEquals(3, t.path("folds").size());
      assertTrue(t.path("mean").path("auc").asDouble() <= bestScore, "the best trial has the highest mean auc");
      int heldOut = 0;
      for (JsonNode f : t.path("folds")) {
        heldOut += f.path("heldOutRows").asInt();
        assertEquals(f.path("trainRows").asInt() + f.path("heldOutRows").asInt(), t.path("folds").get(0).path("trainRows").asInt()
            + t.path("folds").get(0).path("heldOutRows").asInt(), "every fold parts the same training rows");
      }
      assertEquals(t.path("folds").get(0).path("trainRows").asInt() + t.path("folds").get(0).path("heldOutRows").asInt(), heldOut,
          "each training row is held out once");
    }
    JsonNode runJson = JSON.readTree(dir.resolve("run1/run.json").toFile());
    assertEquals(best, runJson.path("tuning").path("best").path("trial").asInt());
    JsonNode trainer = JSON.readTree(dir.resolve("run1/model/trainer.json").toFile());
    assertEquals(best, trainer.path("trial").asInt());
    assertEquals(trials.path("trials").get(best - 1).path("values"), trainer.path("trialValues"));
    assertTrue(trainer.path("info").path("boosterParams").asText()
        .contains("eta=" + trials.path("trials").get(best - 1).path("values").path("params.eta").asText()), trainer.toString());

    CliRun second = run("run2");
    assertEquals(0, second.code(), second.err());
    JsonNode again = JSON.readTree(dir.resolve("run2/tuning/trials.json").toFile());
    assertEquals(best, again.path("best").asInt());
    for (int t = 0; t < 4; t++) {
      assertEquals(trials.path("trials").get(t).path("values"), again.path("trials").get(t).path("values"));
      assertEquals(trials.path("trials").get(t).path("mean"), again.path("trials").get(t).path("mean"));
    }
    assertArrayEquals(Files.readAllBytes(dir.resolve("run1/model/model.ubj")), Files.readAllBytes(dir.resolve("run2/model/model.ubj")));
  }
}
