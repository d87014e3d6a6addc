package dev.beamline.plugins.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The plain-Java evaluator of small batches predicts what XGBoost's native predictor predicts, on real data
 * (California housing: 8 numeric features, total_bedrooms missing in 207 rows) for every objective family
 * it compiles.
 */
class TreeEnsembleTest {
  static final Path HOUSING = Path.of(System.getProperty("beamline.datasets", "../../../shared/datasets"), "california_housing", "housing.csv");
  static final List<String> PROXIMITY = List.of("<1H OCEAN", "INLAND", "ISLAND", "NEAR BAY", "NEAR OCEAN");

  /** The housing rows: 8 numeric features; labels by {@code kind}: value (regression), value > 200k (binary), proximity (multi). */
  static FeatureMatrix housing(String kind) throws IOException {
    List<String> lines = Files.readAllLines(HOUSING);
    int n = lines.size() - 1;
    float[] values = new float[n * 8];
    float[] labels = new float[n];
    for (int r = 0; r < n; r++) {
      String[] f = lines.get(r + 1).split(",");
      for (int c = 0; c < 8; c++) {
        values[r * 8 + c] = f[c].isEmpty() ? Float.NaN : Float.parseFloat(f[c]);
      }
      float v = Float.parseFloat(f[8]);
      labels[r] = switch (kind) {
        case "binary" -> v > 200_000 ? 1 : 0;
        case "multi" -> PROXIMITY.indexOf(f[9]);
        default -> v / 100_000f;
      };
    }
    return new FeatureMatrix(n, 8, List.of("lon", "lat", "age", "rooms", "bedrooms", "population", "households", "income"),
        null, null, values, labels, null);
  }

  @ParameterizedTest
  @CsvSource({"binary, binary:logistic, 6", "multi, multi:softprob, 6", "regression, reg:squarederror, 6", "regression, count:poisson, 6",
      "regression, reg:gamma, 6", "regression, reg:absoluteerror, 6",
      "binary, binary:logistic, 11", "multi, multi:softprob, 11", "regression, reg:squarederror, 11"})
  void javaAndNativePredictionsAgree(String kind, String objective, int maxDepth) throws Exception {
    FeatureMatrix data = housing(kind);
    TaskType type = kind.equals("binary") ? TaskType.BINARY : kind.equals("multi") ? TaskType.MULTICLASS : TaskType.REGRESSION;
    Task task = new Task(type, type == TaskType.MULTICLASS ? PROXIMITY : type == TaskType.BINARY ? List.of("0", "1") : List.of());
    XGBoostPlugin plugin = new XGBoostPlugin();
    var trainer = plugin.create(plugin.configSpec().validate("t", Map.of("rounds", 40, "objective", objective, "seed", 3, "nthread", 1,
        "params", Map.of("max_depth", maxDepth, "eta", 0.2, "subsample", 0.8))), task);
    try (XGBoostTrainer.XGBoostPredictor p = (XGBoostTrainer.XGBoostPredictor) trainer.predictor(trainer.train(data, null).bytes())) {
      assertTrue(p.evaluatesInJava(), objective + ": the model must compile to the Java evaluator");
      assertEquals(maxDepth <= 8, p.walksCompleteTrees(), "trees up to 8 deep are walked as complete trees, deeper ones by their links");
      float[][] expected = p.predictNatively(data);
      double worst = 0;
      for (int from = 0; from < data.rows(); from += XGBoostTrainer.XGBoostPredictor.SMALL) {
        FeatureMatrix part = slice(data, from, Math.min(data.rows(), from + XGBoostTrainer.XGBoostPredictor.SMALL));
        float[][] got = p.predict(part);
        for (int r = 0; r < part.rows(); r++) {
          assertEquals(task.predictionWidth(), got[r].length);
          for (int k = 0; k < got[r].length; k++) {
            double scale = Math.max(1, Math.abs(expected[from + r][k]));
            worst = Math.max(worst, Math.abs(got[r][k] - expected[from + r][k]) / scale);
          }
        }
      }
      System.out.printf("%s, max_depth %d: Java vs native, worst relative difference %.3g over %d rows%n", objective, maxDepth, worst,
          data.rows());
      assertTrue(worst <= 1e-6, objective + ": worst relative difference " + worst);
    }
  }

  @Test
  void infinitiesSignedZerosAndMissingValuesGoWhereXGBoostSendsThem() throws Exception {
    FeatureMatrix data = housing("binary");
    Task task = new Task(TaskType.BINARY, List.of("0", "1"));
    XGBoostPlugin plugin = new XGBoostPlugin();
    var trainer = plugin.create(plugin.configSpec().validate("t", Map.of("rounds", 20, "seed", 3, "nthread", 1,
        "params", Map.of("max_depth", 4))), task);
    float[] odd = {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f, Float.NaN, -1e-30f, Float.MAX_VALUE, -Float.MAX_VALUE};
    float[] values = data.values().clone();
    for (int r = 0; r < 256; r++) {
      for (int c = 0; c < 8; c++) {
        if ((r + c) % 3 == 0) {
          values[r * 8 + c] = odd[(r * 7 + c) % odd.length];
        }
      }
    }
    FeatureMatrix rows = new FeatureMatrix(256, 8, data.featureNames(), null, null, java.util.Arrays.copyOf(values, 256 * 8),
        java.util.Arrays.copyOf(data.labels(), 256), null);
    try (XGBoostTrainer.XGBoostPredictor p = (XGBoostTrainer.XGBoostPredictor) trainer.predictor(trainer.train(data, null).bytes())) {
      assertTrue(p.walksCompleteTrees());
      float[][] expected = p.predictNatively(rows);
      float[][] got = p.predict(rows);
      for (int r = 0; r < rows.rows(); r++) {
        assertEquals(expected[r][0], got[r][0], 1e-6, "row " + r);
      }
    }
  }

  @Test
  void sortableIntsKeepTheOrderOfFloats() {
    float[] ordered = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -3.5f, -1e-30f, -Float.MIN_VALUE, 0f, Float.MIN_VALUE, 1e-30f, 2f,
        Float.MAX_VALUE, Float.POSITIVE_INFINITY};
    for (int i = 0; i + 1 < ordered.length; i++) {
      assertTrue(TreeEnsemble.sortable(ordered[i]) < TreeEnsemble.sortable(ordered[i + 1]), ordered[i] + " < " + ordered[i + 1]);
    }
    assertEquals(TreeEnsemble.sortable(0f), TreeEnsemble.sortable(-0f), "-0.0 == 0.0, as float comparison has it");
    for (float v : ordered) {
      assertTrue(TreeEnsemble.sortable(v) != Integer.MIN_VALUE && TreeEnsemble.sortable(v) != Integer.MAX_VALUE, "reserved for missing");
    }
  }

  @Test
  void aModelItCannotEvaluateStaysNative() throws Exception {
    byte[] linear = ("{\"learner\":{\"objective\":{\"name\":\"binary:logistic\"},\"gradient_booster\":{\"name\":\"gblinear\"},"
        + "\"learner_model_param\":{\"base_score\":\"5E-1\",\"num_class\":\"0\",\"num_target\":\"1\",\"num_feature\":\"3\"}}}").getBytes();
    assertTrue(TreeEnsemble.compile(linear).isEmpty());
    byte[] ranking = new String(linear).replace("binary:logistic", "rank:ndcg").replace("gblinear", "gbtree").getBytes();
    assertTrue(TreeEnsemble.compile(ranking).isEmpty());
  }

  private static FeatureMatrix slice(FeatureMatrix m, int from, int to) {
    float[] v = java.util.Arrays.copyOfRange(m.values(), from * m.columns(), to * m.columns());
    return new FeatureMatrix(to - from, m.columns(), m.featureNames(), null, null, v, java.util.Arrays.copyOfRange(m.labels(), from, to), null);
  }

}
