package dev.beamline.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TuningParserTest {
  private static final String BASE = String.join("\n",
      "name: demo",
      "sources: {data: {type: csv, path: data.csv}}",
      "label: {column: y, task: binary}",
      "features: [{columns: [a]}]",
      "trainer: {type: xgboost}",
      "");
  private static final String TUNING = String.join("\n",
      "tuning:",                                  // line 6
      "  trials: 5",
      "  metric: auc",
      "  space:",
      "    rounds: {intRange: [50, 200]}",         // line 10
      "    params:",
      "      eta: {logUniform: [0.01, 0.3]}",      // line 12
      "      max_depth: {choice: [3, 6, 9]}",
      "");

  private static TuningSpec parse(String text, String... overrides) {
    YamlDocument doc = YamlDocument.parse("p.yaml", text);
    doc.override(List.of(overrides));
    return SpecParser.parse(Path.of("p.yaml"), doc).tuning();
  }

  private static String error(String text, String... overrides) {
    return assertThrows(ConfigException.class, () -> parse(text, overrides)).getMessage();
  }

  @Test
  void noSectionNoSearch() {
    assertNull(parse(BASE));
  }

  @Test
  void readsTheSpaceWithNestedKeysAndDefaults() {
    TuningSpec t = parse(BASE + TUNING);
    assertEquals("random", t.strategy());
    assertEquals(5, t.trials());
    assertEquals(3, t.folds());
    assertTrue(t.stratified(), "classification folds are stratified by default");
    assertTrue(t.maximize(), "auc: higher is better");
    assertEquals(List.of("rounds", "params.eta", "params.max_depth"), List.copyOf(t.space().keySet()));
    TuningSpec.Dimension eta = t.space().get("params.eta");
    assertEquals("logUniform", eta.kind());
    assertEquals(0.01, eta.low());
    assertEquals("tuning.space.params.eta", eta.key());
    assertEquals(List.of(3, 6, 9), t.space().get("params.max_depth").values());
  }

  @Test
  void setReachesEveryKey() {
    TuningSpec t = parse(BASE + TUNING, "tuning.trials=20", "tuning.space.params.eta.logUniform=[0.02, 0.2]", "tuning.folds=5",
        "tuning.metric=logloss");
    assertEquals(20, t.trials());
    assertEquals(0.2, t.space().get("params.eta").high());
    assertEquals(5, t.folds());
    assertFalse(t.maximize(), "logloss: lower is better");
  }

  @Test
  void crossValidationAloneNeedsNoSpace() {
    TuningSpec t = parse(BASE + "tuning: {folds: 5, metric: auc}\n");
    assertTrue(t.space().isEmpty());
    assertEquals(5, t.folds());
    assertEquals(0, t.trials());
  }

  @Test
  void theValidationSplitInsteadOfFolds() {
    TuningSpec t = parse(BASE + TUNING + "  folds: split\n");
    assertTrue(t.onValidationSplit());
  }

  @Test
  void mistakesNameTheirLine() {
    assertEquals("p.yaml:12: tuning.space.params.eta.logUniform: a log-uniform range must be above 0, e.g. [0.001, 0.3]",
        error(BASE + TUNING.replace("[0.01, 0.3]", "[0, 0.3]")));
    assertEquals("p.yaml:10: tuning.space.rounds.intRange: low (200) is above high (50)",
        error(BASE + TUNING.replace("[50, 200]", "[200, 50]")));
    assertTrue(error(BASE + TUNING.replace("intRange: [50, 200]", "intRange: [50, 200], choice: [1]"))
        .startsWith("p.yaml:10: tuning.space.rounds: give one of choice"));
    assertTrue(error(BASE + TUNING.replace("trials: 5", "strategy: bayes")).startsWith("p.yaml:7: tuning.strategy: 'bayes' is not"));
    assertTrue(error(BASE + TUNING.replace("  metric: auc\n", "")).contains("tuning.metric: missing"));
    assertTrue(error(BASE + TUNING.replace("metric: auc", "metric: kappa"))
        .contains("tuning.direction: missing; say whether a higher 'kappa' is better"));
    assertTrue(error(BASE + TUNING + "  folds: 1\n").contains("tuning.folds: must be between 2 and 20"));
    assertTrue(error(BASE + TUNING + "  folds: split\n  groupBy: a\n").contains("tuning.groupBy: applies to folds"));
    assertTrue(error(BASE.replace("binary", "regression") + TUNING + "  stratified: true\n").contains("tuning.stratified: only classification"));
  }

  @Test
  void halvingRaisesTheRoundsItself() {
    TuningSpec t = parse(BASE + TUNING.replace("trials: 5", "trials: 27\n  strategy: halving").replace("    rounds: {intRange: [50, 200]}\n", ""));
    assertEquals("halving", t.strategy());
    assertEquals(3, t.reduction(), "the default reduction");
    assertTrue(error(BASE + TUNING.replace("trials: 5", "strategy: halving")).contains("tuning.space.rounds: halving sets the rounds itself"));
    assertTrue(error(BASE + TUNING.replace("trials: 5", "trials: 2\n  strategy: halving").replace("    rounds: {intRange: [50, 200]}\n", ""))
        .contains("tuning.trials: halving needs a space and at least reduction (3) trials"));
    assertTrue(error(BASE + TUNING + "  reduction: 2\n").contains("tuning.reduction: applies to strategy: halving"));
  }

  @Test
  void aGridTakesListedValuesOnly() {
    String grid = BASE + TUNING.replace("trials: 5", "strategy: grid");
    assertTrue(error(grid).startsWith("p.yaml:12: tuning.space.params.eta: a grid takes choice or intRange settings"), error(grid));
    TuningSpec t = parse(grid.replace("logUniform: [0.01, 0.3]", "choice: [0.05, 0.1]"));
    assertEquals(151 * 2 * 3, t.space().values().stream().mapToLong(TuningSpec.Dimension::gridSize).reduce(1, (a, b) -> a * b));
    assertEquals(0, t.trials(), "a grid runs every combination unless told otherwise");
  }
}
