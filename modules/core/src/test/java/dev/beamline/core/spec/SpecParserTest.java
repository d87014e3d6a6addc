package dev.beamline.core.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpecParserTest {
  private static final String SPEC = String.join("\n",
      "name: demo",
      "sources:",
      "  data:",
      "    type: csv",
      "    path: data.csv",
      "label:",
      "  column: y",
      "  task: binary",
      "features:",
      "  - columns: [a, b]",
      "    transforms:",
      "      - {type: zscore}",
      "trainer:",
      "  type: xgboost",
      "  rounds: 10",
      "  params:",
      "    max_depth: 3",
      "");

  private static PipelineSpec parse(String text, List<String> overrides) {
    YamlDocument doc = YamlDocument.parse("p.yaml", text);
    doc.override(overrides);
    return SpecParser.parse(Path.of("p.yaml"), doc);
  }

  @Test
  void theTrainersWorkerKeysAreTheHostsNotThePlugins() {
    PipelineSpec one = parse(SPEC, List.of());
    assertEquals(PipelineSpec.WorkersSpec.ONE, one.workers());
    PipelineSpec two = parse(SPEC, List.of("trainer.workers=2", "trainer.workersUnavailable=single", "trainer.trackerPort=9091",
        "trainer.workerTimeoutSeconds=60", "trainer.trackerHost=10.0.0.5"));
    assertEquals(new PipelineSpec.WorkersSpec(2, true, "10.0.0.5", 9091, 60), two.workers());
    assertEquals(java.util.Map.of("rounds", 10, "params", java.util.Map.of("max_depth", 3)), two.trainer().config(), "the plugin sees its own keys");
    assertEquals(0, parse(SPEC, List.of("trainer.workers=auto")).workers().workers());
    for (String bad : List.of("trainer.workers=0", "trainer.workers=many", "trainer.workersUnavailable=wait", "trainer.trackerPort=70000",
        "trainer.workerTimeoutSeconds=0")) {
      ConfigException e = assertThrows(ConfigException.class, () -> parse(SPEC, List.of(bad)), bad);
      assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf('='))), e.getMessage());
    }
  }

  @Test
  void evaluatorSettingsAloneKeepTheStandardEvaluator() {
    PipelineSpec spec = parse(SPEC, List.of("evaluator.bootstrap.samples=0", "evaluator.threshold=0.4"));
    assertEquals("standard", spec.evaluator().type());
    assertEquals(java.util.Map.of("threshold", 0.4), spec.evaluator().config());
    assertEquals(0, spec.evaluation().bootstrapSamples());
  }

  @Test
  void evaluatorSplitsNameSplitsOnceAndKeepTheTestSplitForSlicesAndIntervals() {
    assertEquals(List.of("train", "validation", "test"), parse(SPEC, List.of()).evaluation().splits());
    assertEquals(List.of("validation", "test"), parse(SPEC, List.of("evaluator.splits=[validation, test]")).evaluation().splits());
    ConfigException unknown = assertThrows(ConfigException.class, () -> parse(SPEC, List.of("evaluator.splits=[tests]")));
    assertTrue(unknown.getMessage().contains("'tests' is not a split"), unknown.getMessage());
    ConfigException twice = assertThrows(ConfigException.class, () -> parse(SPEC, List.of("evaluator.splits=[test, test]")));
    assertTrue(twice.getMessage().contains("once"), twice.getMessage());
    ConfigException slices = assertThrows(ConfigException.class,
        () -> parse(SPEC, List.of("evaluator.splits=[train]", "evaluator.slices=[a]")));
    assertTrue(slices.getMessage().contains("add test to splits"), slices.getMessage());
  }

  @Test
  void parsesAndDefaults() {
    PipelineSpec spec = parse(SPEC, List.of());
    assertEquals("demo", spec.name());
    assertEquals(42, spec.seed());
    assertEquals("random", spec.split().type());
    assertEquals(0.2, spec.split().testFraction());
    assertEquals(List.of("a", "b"), spec.features().get(0).columns());
    assertEquals("zscore", spec.features().get(0).transforms().get(0).type());
    assertEquals("standard", spec.evaluator().type());
  }

  @Test
  void setOverridesAnyValueWithYamlTyping() {
    PipelineSpec spec = parse(SPEC, List.of("trainer.rounds=50", "trainer.params.eta=0.1", "split.testFraction=0.3",
        "features.0.transforms.0.type=minmax", "seed=7"));
    assertEquals(50, spec.trainer().config().get("rounds"));
    assertEquals(0.1, ((java.util.Map<?, ?>) spec.trainer().config().get("params")).get("eta"));
    assertEquals(0.3, spec.split().testFraction());
    assertEquals("minmax", spec.features().get(0).transforms().get(0).type());
    assertEquals(7, spec.seed());
  }

  @Test
  void unknownKeyNamesFileLineAndAllowedKeys() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(SPEC.replace("label:", "lable: {}\nlabel:"), List.of()));
    assertTrue(e.getMessage().startsWith("p.yaml:6: lable: unknown key 'lable'; allowed keys here: "), e.getMessage());
    assertTrue(e.getMessage().contains("label"), e.getMessage());
  }

  @Test
  void badValuesNameTheirKeyAndLine() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(SPEC.replace("task: binary", "task: binray"), List.of()));
    assertEquals("p.yaml:8: label.task: 'binray' is not a task; use binary, multiclass, regression or clustering", e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(SPEC, List.of("split.testFraction=2")));
    assertTrue(e.getMessage().contains("split.testFraction: must be between 0 and 1"), e.getMessage());
  }

  @Test
  void statisticsAreOnByDefaultAndTheirSettingsAreChecked() {
    assertTrue(parse(SPEC, List.of()).statistics().enabled());
    assertEquals(20, parse(SPEC, List.of()).statistics().options().topValues());
    assertFalse(parse(SPEC, List.of("statistics.enabled=false")).statistics().enabled());
    assertEquals(5, parse(SPEC, List.of("statistics.histogramBins=5")).statistics().options().histogramBins());
    ConfigException e = assertThrows(ConfigException.class, () -> parse(SPEC, List.of("statistics.histogramBins=0")));
    assertTrue(e.getMessage().contains("statistics.histogramBins: must be between 1 and 1000"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(SPEC, List.of("statistics.bins=5")));
    assertTrue(e.getMessage().contains("unknown key 'bins'"), e.getMessage());
  }

  @Test
  void invalidYamlNamesLineAndColumn() {
    ConfigException e = assertThrows(ConfigException.class, () -> YamlDocument.parse("p.yaml", "name: x\nsources: [a, b\n"));
    assertTrue(e.getMessage().matches("p\\.yaml:\\d+:\\d+: not valid YAML: .*"), e.getMessage());
  }

  @Test
  void badOverrideIsExplained() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(SPEC, List.of("trainer.rounds")));
    assertTrue(e.getMessage().contains("expected KEY=VALUE"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(SPEC, List.of("features.5.column=x")));
    assertTrue(e.getMessage().contains("index 5 is outside the list of 1"), e.getMessage());
  }

  @Test
  void splitByInputsNeedsTrainAndTestSources() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(SPEC + "split: {type: inputs}\n", List.of()));
    assertTrue(e.getMessage().contains("needs sources named train and test"), e.getMessage());
  }

  @Test
  void slicesAndBootstrapAreReadFromTheEvaluatorAndNotPassedToItsPlugin() {
    PipelineSpec spec = parse(SPEC + "evaluator: {type: standard, threshold: 0.4, slices: [sex, {column: age, buckets: 4},"
        + " {cross: [sex, {column: age, buckets: 2}]}], bootstrap: {samples: 50, confidence: 0.9}}\n", List.of());
    assertEquals(java.util.Map.of("threshold", 0.4), spec.evaluator().config());
    var slices = spec.evaluation().slices();
    assertEquals(List.of("sex", "age", "sex & age"), slices.stream().map(PipelineSpec.SliceSpec::name).toList());
    assertEquals(new PipelineSpec.SliceColumn("age", 4), slices.get(1).columns().get(0));
    assertEquals(new PipelineSpec.SliceColumn("age", 2), slices.get(2).columns().get(1));
    assertEquals(50, spec.evaluation().bootstrapSamples());
    assertEquals(0.9, spec.evaluation().confidence());
    assertEquals(PipelineSpec.EvaluationSpec.DEFAULT, parse(SPEC, List.of()).evaluation());
  }

  @Test
  void badSlicesNameTheirKeyAndLine() {
    String base = SPEC + "evaluator:\n  type: standard\n";
    ConfigException e = assertThrows(ConfigException.class, () -> parse(base + "  slices: [{column: age, buckets: 1}]\n", List.of()));
    assertTrue(e.getMessage().contains("p.yaml:20") && e.getMessage().contains("evaluator.slices.0.buckets: must be between 2 and 100"),
        e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(base + "  slices: [{cross: [sex]}]\n", List.of()));
    assertTrue(e.getMessage().contains("evaluator.slices.0.cross: cross at least two columns"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(base + "  slices: [{colum: age}]\n", List.of()));
    assertTrue(e.getMessage().contains("evaluator.slices.0.colum: unknown key"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(base + "  bootstrap: {samples: 1}\n", List.of()));
    assertTrue(e.getMessage().contains("evaluator.bootstrap.samples: must be 0 (no intervals) or between 2 and 10000"), e.getMessage());
  }

  @Test
  void blessingThresholdsAndChampionTolerancesAreReadAndChecked() {
    PipelineSpec spec = parse(SPEC + "blessing:\n  thresholds: {auc: {min: 0.9}, logloss: {max: 0.4}}\n"
        + "  versusChampion: {auc: {maxDrop: 0.002}, logloss: {maxRise: 0.01}}\n", List.of());
    assertEquals(new PipelineSpec.Bound(0.9, null), spec.blessing().thresholds().get("auc"));
    assertEquals(new PipelineSpec.Bound(null, 0.4), spec.blessing().thresholds().get("logloss"));
    assertEquals(new PipelineSpec.Change(true, 0.002), spec.blessing().versusChampion().get("auc"));
    assertEquals(new PipelineSpec.Change(false, 0.01), spec.blessing().versusChampion().get("logloss"));
    assertEquals("champion", spec.blessing().championAlias());
    assertEquals(null, parse(SPEC, List.of()).blessing());
    assertTrue(parse(SPEC, List.of()).report());
    assertFalse(parse(SPEC + "report: {enabled: false}\n", List.of()).report());
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(SPEC + "blessing: {versusChampion: {auc: {maxDrop: 0.1, maxRise: 0.1}}}\n", List.of()));
    assertTrue(e.getMessage().contains("blessing.versusChampion.auc: give one of maxDrop"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(SPEC + "blessing: {thresholds: {auc: {min: 0.9}}, championAlias: challenger}\n",
        List.of()));
    assertTrue(e.getMessage().contains("blessing.championAlias: 'challenger' is tracking.alias"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> parse(SPEC + "blessing: {thresholds: {auc: {}}}\n", List.of()));
    assertTrue(e.getMessage().contains("blessing.thresholds.auc: give a bound"), e.getMessage());
  }

  @Test
  void yesAndNoAreALabelsValuesAsWrittenAndStillBooleansWhereABooleanIsExpected() {
    String text = SPEC.replace("  task: binary", "  task: binary\n  positive: [yes, On]\n  classes: [no, yes]")
        + "tracking: {register: no}\n";
    PipelineSpec spec = parse(text, List.of());
    assertEquals(List.of("yes", "On"), spec.label().positive(), "YAML 1.1 would read [true, true]");
    assertEquals(List.of("no", "yes"), spec.label().classes(), "YAML 1.1 would read [false, true]");
    assertFalse(spec.tracking().register(), "a boolean key accepts no");
    assertTrue(parse(text, List.of("tracking.register=YES")).tracking().register());
    assertEquals(List.of("off"), parse(text, List.of("label.positive=[off]")).label().positive(), "--set reads the same way");
    assertTrue(parse(text, List.of("tracking.register=true")).tracking().register());
    ConfigException e = assertThrows(ConfigException.class, () -> parse(text, List.of("tracking.register=maybe")));
    assertTrue(e.getMessage().contains("register: 'maybe' is not true or false"), e.getMessage());
  }

  @Test
  void theTreeKeepsNumbersBooleansNullsAndEachKeysLine() {
    YamlDocument doc = YamlDocument.parse("p.yaml", "a: 1\nb:\n  c: [2.5, true, False, ~, .inf, -.inf, 0x10, n]\n  d: {e: 'x'}\n");
    assertEquals(java.util.Map.of("a", 1, "b", java.util.Map.of(
        "c", java.util.Arrays.asList(2.5, true, false, null, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 16, "n"),
        "d", java.util.Map.of("e", "x"))), doc.root());
    assertEquals("p.yaml:1", doc.at("a"));
    assertEquals("p.yaml:3", doc.at("b.c"));
    assertEquals("p.yaml:4", doc.at("b.d.e"));
    assertEquals("p.yaml:4", doc.at("b.d.e.f"), "an unknown key under a known one names the known one's line");
    ConfigException e = assertThrows(ConfigException.class, () -> YamlDocument.parse("p.yaml", "a: [1, 2\nb: 3\n"));
    assertTrue(e.getMessage().startsWith("p.yaml:"), e.getMessage());
  }
}
