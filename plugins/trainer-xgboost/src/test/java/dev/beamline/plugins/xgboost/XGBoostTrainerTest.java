package dev.beamline.plugins.xgboost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.spi.model.TrainedModel;
import dev.beamline.testkit.TrainerContract;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class XGBoostTrainerTest extends TrainerContract {
  @Override
  protected BeamlinePlugin plugin() {
    return new XGBoostPlugin();
  }

  @Override
  protected TrainerFactory trainer() {
    return new XGBoostPlugin();
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("rounds", 20, "seed", 7, "nthread", 1, "params", Map.of("max_depth", 3, "eta", 0.3, "subsample", 0.8));
  }

  @Override
  protected Task task() {
    return new Task(TaskType.BINARY, List.of("0", "1"));
  }

  /** y = 1 when x0 + x1 > 1, with 5% label noise and a feature that is missing now and then. */
  static FeatureMatrix data(int rows, long seed) {
    Random r = new Random(seed);
    float[] values = new float[rows * 3];
    float[] labels = new float[rows];
    for (int i = 0; i < rows; i++) {
      float a = r.nextFloat();
      float b = r.nextFloat();
      values[i * 3] = a;
      values[i * 3 + 1] = b;
      values[i * 3 + 2] = r.nextFloat() < 0.1 ? Float.NaN : r.nextFloat();
      labels[i] = (a + b > 1) ^ (r.nextFloat() < 0.05) ? 1 : 0;
    }
    return new FeatureMatrix(rows, 3, List.of("a", "b", "noise"), null, null, values, labels, null);
  }

  @Override
  protected FeatureMatrix trainingData() {
    return data(500, 1);
  }

  @Override
  protected double minimumFit() {
    return 0.9;
  }

  @Test
  void earlyStoppingKeepsTheBestRoundOnly() throws Exception {
    Map<String, Object> config = Map.of("rounds", 300, "earlyStoppingRounds", 5, "seed", 7, "nthread", 1,
        "evalMetrics", List.of("logloss"), "params", Map.of("max_depth", 6, "eta", 0.5));
    var trainer = trainer().create(trainer().configSpec().validate("t", config), task());
    TrainedModel model = trainer.train(data(400, 2), data(400, 3));
    int best = model.bestIteration();
    assertTrue(best < 295, "should stop early: best " + best + " of " + model.history().size());
    assertEquals(best + 6, model.history().size(), "stops 5 rounds after the best");
    double bestLoss = model.history().get(best).metrics().get("validation").get("logloss");
    for (var m : model.history()) {
      assertTrue(m.metrics().get("validation").get("logloss") >= bestLoss);
    }
    // The saved model has exactly best + 1 trees: its validation loss is the best one.
    try (var p = trainer.predictor(model.bytes())) {
      float[][] pred = p.predict(data(400, 3));
      FeatureMatrix v = data(400, 3);
      double loss = 0;
      for (int i = 0; i < v.rows(); i++) {
        double q = Math.min(Math.max(pred[i][0], 1e-15), 1 - 1e-15);
        loss -= v.labels()[i] == 1 ? Math.log(q) : Math.log(1 - q);
      }
      assertEquals(bestLoss, loss / v.rows(), 1e-5);
    }
  }

  /** Measuring the rows each round changes nothing of the model: without the history the same trees grow, faster. */
  @Test
  void withoutTheTrainingHistoryTheSameModelGrows() throws Exception {
    Map<String, Object> off = new java.util.HashMap<>(config());
    off.put("history", false);
    var with = trainer().create(trainer().configSpec().validate("t", config()), task());
    var without = trainer().create(trainer().configSpec().validate("t", off), task());
    TrainedModel a = with.train(data(300, 3), null);
    TrainedModel b = without.train(data(300, 3), null);
    assertArrayEquals(a.bytes(), b.bytes());
    assertEquals(20, a.history().size());
    assertTrue(b.history().isEmpty(), "no training rows measured, no validation rows: no history");
    assertEquals(19, b.bestIteration());
    assertEquals(20, b.info().get("roundsRun"));
    // With validation rows, only they are measured (early stopping still works on them).
    TrainedModel c = without.train(data(300, 3), data(100, 4));
    assertEquals(20, c.history().size());
    assertEquals(java.util.Set.of("validation"), c.history().get(0).metrics().keySet());
    assertArrayEquals(a.bytes(), c.bytes());
  }

  @Test
  void newRowsWithoutLabelsAreScoredLikeLabelledOnes() throws Exception {
    var t = trainer().create(trainer().configSpec().validate("t", config()), task());
    TrainedModel model = t.train(data(300, 3), null);
    FeatureMatrix labelled = data(50, 4);
    float[] unknown = new float[labelled.rows()];
    java.util.Arrays.fill(unknown, Float.NaN);
    FeatureMatrix unlabelled = new FeatureMatrix(labelled.rows(), labelled.columns(), labelled.featureNames(), null, null,
        labelled.values(), unknown, null);
    try (var predictor = t.predictor(model.bytes())) {
      float[][] a = predictor.predict(labelled);
      float[][] b = predictor.predict(unlabelled);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i][0], b[i][0], 0f);
      }
    }
  }

  @Test
  void objectiveMustFitTheTask() {
    ConfigException e = assertThrows(ConfigException.class, () -> trainer().create(
        trainer().configSpec().validate("t", Map.of("objective", "reg:squarederror")), task()));
    assertTrue(e.getMessage().contains("binary:logistic"), e.getMessage());
  }

  @Test
  void unknownNativeParameterIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> trainer().create(
        trainer().configSpec().validate("t", Map.of("params", Map.of("max_dept", 3))), task()));
    assertTrue(e.getMessage().contains("'max_dept'") && e.getMessage().contains("max_depth"), e.getMessage());
  }

  @Test
  void earlyStoppingWithoutValidationIsAConfigError() {
    var trainer = trainer().create(trainer().configSpec().validate("t", Map.of("earlyStoppingRounds", 3)), task());
    assertThrows(ConfigException.class, () -> trainer.train(data(50, 1), null));
  }

  /** Validation rows of one class: XGBoost prints its auc as nan; the history keeps it, early stopping on it says why it cannot. */
  @Test
  void anUndefinedMetricIsNaNInTheHistoryAndEarlyStoppingOnItIsAConfigError() throws Exception {
    FeatureMatrix v = data(100, 3);
    FeatureMatrix oneClass = new FeatureMatrix(v.rows(), 3, v.featureNames(), null, null, v.values(), new float[v.rows()], null);
    Map<String, Object> config = Map.of("rounds", 3, "seed", 7, "nthread", 1, "evalMetrics", List.of("logloss", "auc"));
    TrainedModel model = trainer().create(trainer().configSpec().validate("t", config), task()).train(data(200, 1), oneClass);
    assertEquals(3, model.history().size());
    assertTrue(Double.isNaN(model.history().get(0).metrics().get("validation").get("auc")), model.history().get(0).toString());
    assertTrue(model.history().get(0).metrics().get("train").get("auc") > 0.5);
    Map<String, Object> stopping = new java.util.HashMap<>(config);
    stopping.put("earlyStoppingRounds", 2);
    var trainer = trainer().create(trainer().configSpec().validate("t", stopping), task());
    ConfigException e = assertThrows(ConfigException.class, () -> trainer.train(data(200, 1), oneClass));
    assertTrue(e.getMessage().contains("validation auc is undefined (nan) at round 0, as it is when the validation rows hold one class"),
        e.getMessage());
  }

  @Test
  void parseEvalReadsXGBoostsNamesForUndefinedAndInfiniteValues() {
    Map<String, Map<String, Double>> m = XGBoostTrainer.parseEval("[4]\ttrain-auc:0.75\tvalidation-auc:nan\tvalidation-mphe:inf\ttest-x:-inf");
    assertEquals(0.75, m.get("train").get("auc"));
    assertTrue(Double.isNaN(m.get("validation").get("auc")));
    assertEquals(Double.POSITIVE_INFINITY, m.get("validation").get("mphe"));
    assertEquals(Double.NEGATIVE_INFINITY, m.get("test").get("x"));
  }

  @Test
  void multiClassPredictsOneProbabilityPerClass() throws Exception {
    FeatureMatrix d = data(300, 4);
    float[] labels = new float[d.rows()];
    for (int i = 0; i < d.rows(); i++) {
      labels[i] = d.values()[i * 3] < 0.33 ? 0 : d.values()[i * 3] < 0.66 ? 1 : 2;
    }
    FeatureMatrix m = new FeatureMatrix(d.rows(), 3, d.featureNames(), null, null, d.values(), labels, null);
    Task task = new Task(TaskType.MULTICLASS, List.of("a", "b", "c"));
    var trainer = trainer().create(trainer().configSpec().validate("t", Map.of("rounds", 10, "nthread", 1)), task);
    try (var p = trainer.predictor(trainer.train(m, null).bytes())) {
      float[] row = p.predict(m)[0];
      assertEquals(3, row.length);
      assertEquals(1.0, row[0] + row[1] + row[2], 1e-5);
    }
  }

  @Test
  void denseRowsScoredInPlaceMatchTheSameRowsAsASparseMatrix() throws Exception {
    FeatureMatrix dense = data(300, 5);
    dense.values()[4] = Float.NaN; // a missing value takes the same branch both ways
    long[] offsets = new long[dense.rows() + 1];
    List<Integer> indices = new java.util.ArrayList<>();
    List<Float> values = new java.util.ArrayList<>();
    for (int r = 0; r < dense.rows(); r++) {
      for (int c = 0; c < dense.columns(); c++) {
        float v = dense.values()[r * dense.columns() + c];
        if (!Float.isNaN(v)) {
          indices.add(c);
          values.add(v);
        }
      }
      offsets[r + 1] = indices.size();
    }
    float[] sparseValues = new float[values.size()];
    for (int i = 0; i < sparseValues.length; i++) {
      sparseValues[i] = values.get(i);
    }
    FeatureMatrix sparse = new FeatureMatrix(dense.rows(), dense.columns(), dense.featureNames(), offsets,
        indices.stream().mapToInt(Integer::intValue).toArray(), sparseValues, dense.labels(), null);
    var trainer = trainer().create(trainer().configSpec().validate("t", Map.of("rounds", 20, "nthread", 1)), new Task(TaskType.BINARY, List.of("0", "1")));
    try (var p = trainer.predictor(trainer.train(dense, null).bytes())) {
      float[][] a = p.predict(dense);
      float[][] b = p.predict(sparse);
      assertEquals(dense.rows(), a.length);
      for (int r = 0; r < a.length; r++) {
        assertEquals(b[r][0], a[r][0], 0f, "row " + r);
      }
    }
  }
}
