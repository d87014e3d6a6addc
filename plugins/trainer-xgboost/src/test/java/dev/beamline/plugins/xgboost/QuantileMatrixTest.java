package dev.beamline.plugins.xgboost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.TrainingRows;
import dev.beamline.testkit.RowsInParts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

/** The quantile matrix grows the same trees as XGBoost4J's plain dense matrix, whatever the batches. */
class QuantileMatrixTest {
  /**
   * Continuous features with many distinct values (where cuts come from sketches, not from exact counts),
   * a one-hot block, missing values and weights; the label depends on all of them.
   */
  static FeatureMatrix data(int rows, long seed, boolean weighted) {
    Random r = new Random(seed);
    int width = 8;
    float[] values = new float[rows * width];
    float[] labels = new float[rows];
    float[] weights = weighted ? new float[rows] : null;
    for (int i = 0; i < rows; i++) {
      int o = i * width;
      values[o] = (float) r.nextGaussian();
      values[o + 1] = (float) Math.exp(r.nextGaussian() * 2);
      values[o + 2] = r.nextFloat() < 0.2 ? Float.NaN : r.nextInt(1000);
      int category = r.nextInt(4);
      for (int k = 0; k < 4; k++) {
        values[o + 3 + k] = k == category ? 1 : 0;
      }
      values[o + 7] = r.nextFloat();
      double z = values[o] + Math.log(values[o + 1]) / 2 + (category == 2 ? 1 : 0)
          + (Float.isNaN(values[o + 2]) ? 0.5 : values[o + 2] / 1000) + r.nextGaussian() * 0.5;
      labels[i] = z > 0.5 ? 1 : 0;
      if (weights != null) {
        weights[i] = 0.5f + r.nextFloat();
      }
    }
    return new FeatureMatrix(rows, width, List.of("a", "b", "c", "d0", "d1", "d2", "d3", "e"), null, null, values, labels, weights);
  }

  private static Map<String, Object> params() {
    Map<String, Object> p = new HashMap<>();
    p.put("objective", "binary:logistic");
    p.put("tree_method", "hist");
    p.put("max_depth", 5);
    p.put("eta", 0.3);
    p.put("seed", 3);
    p.put("nthread", 2);
    return p;
  }

  private static byte[] trained(DMatrix d) throws XGBoostError {
    return trained(d, params());
  }

  private static byte[] trained(DMatrix d, Map<String, Object> params) throws XGBoostError {
    try {
      Booster b = XGBoost.train(d, params, 15, Map.of(), null, null);
      byte[] bytes = b.toByteArray("ubj");
      b.dispose();
      return bytes;
    } finally {
      d.dispose();
    }
  }

  @Test
  void reachesXGBoostsLibraryHere() {
    assertTrue(QuantileMatrix.available(), "XGBoost's C API should be reachable through JNA on Linux");
  }

  @Test
  void growsTheSameTreesAsThePlainMatrix() throws Exception {
    for (boolean weighted : new boolean[] {false, true}) {
      FeatureMatrix m = data(20_000, 11, weighted);
      byte[] plain = trained(Matrices.toDMatrix(m));
      for (int batchRows : new int[] {20_000, 3_001, 500}) {
        assertArrayEquals(plain, trained(QuantileMatrix.of(m, 256, 2, batchRows, null)),
            "weighted " + weighted + ", batches of " + batchRows + " rows");
      }
    }
  }

  @Test
  void growsTheSameTreesFromRowsInPartsOfAnySize() throws Exception {
    for (boolean weighted : new boolean[] {false, true}) {
      FeatureMatrix m = data(20_000, 12, weighted);
      byte[] plain = trained(Matrices.toDMatrix(m));
      RowsInParts parts = RowsInParts.of(m, 777, 0, 4_321, 1);
      for (int batchRows : new int[] {20_000, 3_001}) {
        assertArrayEquals(plain, trained(QuantileMatrix.of(parts, 256, 2, batchRows, null)),
            "weighted " + weighted + ", " + parts.size() + " parts, batches of " + batchRows + " rows");
      }
    }
  }

  @Test
  void refusesPartsThatDoNotHoldTheRowsTheySay() {
    RowsInParts parts = RowsInParts.of(data(1_000, 5, false), 400);
    TrainingRows more = (TrainingRows) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {TrainingRows.class}, (proxy, method, args) -> method.getName().equals("rows") ? 1_200 : method.invoke(parts, args));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> QuantileMatrix.of(more, 256, 1));
    assertTrue(e.getMessage().contains("parts hold 1000 rows, but the rows say 1200"), e.getMessage());
  }

  @Test
  void carriesLabelsAndWeights() throws Exception {
    FeatureMatrix m = data(1_000, 5, true);
    for (TrainingRows rows : List.of(m, RowsInParts.of(m, 333, 1, 0))) {
      DMatrix d = QuantileMatrix.of(rows, 256, 1, 300, null);
      try {
        assertEquals(1_000, d.rowNum());
        assertArrayEquals(m.labels(), d.getLabel());
        assertArrayEquals(m.weights(), d.getWeight());
      } finally {
        d.dispose();
      }
    }
  }

  @Test
  void cutsAtTheTrainersMaxBin() throws Exception {
    FeatureMatrix m = data(5_000, 7, false);
    Map<String, Object> p = params();
    p.put("max_bin", 16);
    byte[] plain = trained(Matrices.toDMatrix(m), p);
    assertArrayEquals(plain, trained(QuantileMatrix.of(m, 16, 1), p));
    DMatrix d = QuantileMatrix.of(m, 16, 1);
    try {
      DMatrix.QuantileCut cut = d.getQuantileCut();
      long bins = cut.getIndptr()[1] - cut.getIndptr()[0];
      assertTrue(bins <= 17, "feature a (continuous) in at most 16 bins and the upper bound: " + bins);
    } finally {
      d.dispose();
    }
  }

  @Test
  void evaluatesAValidationSetCutLikeTheTrainingRowsAsThePlainMatrix() throws Exception {
    FeatureMatrix train = data(20_000, 21, false);
    FeatureMatrix validation = data(4_000, 22, false);
    // some validation values beyond anything seen in training
    for (int i = 0; i < 200; i++) {
      validation.values()[i * validation.columns()] = 40;
      validation.values()[(i + 200) * validation.columns() + 1] = -5;
    }
    assertEquals(evaluations(Matrices.toDMatrix(train), Matrices.toDMatrix(validation)),
        evaluations(QuantileMatrix.of(train, 256, 2), null, validation));
  }

  /** The per-round evaluation lines of 10 rounds on both matrices (the second built on the first when null). */
  private static List<String> evaluations(DMatrix train, DMatrix validation, FeatureMatrix... toBin) throws XGBoostError {
    DMatrix valid = validation != null ? validation : QuantileMatrix.of(toBin[0], train, 256, 2);
    try {
      Booster b = XGBoost.train(train, params(), 0, Map.of(), null, null);
      b.setParam("eval_metric", "logloss");
      b.setParam("eval_metric", "auc");
      List<String> lines = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        b.update(train, i);
        lines.add(b.evalSet(new DMatrix[] {train, valid}, new String[] {"train", "validation"}, i));
      }
      b.dispose();
      return lines;
    } finally {
      train.dispose();
      valid.dispose();
    }
  }

  @Test
  void refusesSparseRows() {
    FeatureMatrix sparse = new FeatureMatrix(1, 2, List.of("a", "b"), new long[] {0, 1}, new int[] {0}, new float[] {1}, new float[] {0}, null);
    assertThrows(IllegalArgumentException.class, () -> QuantileMatrix.of(sparse, 256, 1));
  }
}
