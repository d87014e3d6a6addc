package dev.beamline.plugins.xgboost;

import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * One-row predictions of a binary XGBoost model, four ways side by side in one run: Beamline's Java walk
 * of complete trees (what {@code beamline serve} runs), the same walk by the trees' links (before), Beamline's
 * native path (xgboost4j in-place prediction), and what a Java user would write with xgboost4j (a one-row
 * {@code DMatrix}, then {@code Booster.predict}). Prints microseconds per row (the median of the rounds) and
 * the largest difference from xgboost4j's predictions.
 *
 * <p>Usage: {@code SingleRowBench MODEL_FILE FEATURES.f32 COLUMNS [ROUNDS]}: the model file (e.g. a run's
 * {@code model/model.ubj}) and transformed rows as little-endian float32, {@code COLUMNS} a row, NaN = missing.
 */
public final class SingleRowBench {
  private SingleRowBench() {}

  interface OneRow {
    float predict(float[] row) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    byte[] model = Files.readAllBytes(Path.of(args[0]));
    int columns = Integer.parseInt(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
    float[][] rows = rows(Path.of(args[1]), columns);
    Booster booster = XGBoost.loadModel(model);
    byte[] json = booster.toByteArray("json");
    TreeEnsemble complete = TreeEnsemble.compile(json, true).orElseThrow();
    TreeEnsemble links = TreeEnsemble.compile(json, false).orElseThrow();
    XGBoostPlugin plugin = new XGBoostPlugin();
    XGBoostTrainer.XGBoostPredictor native1 = (XGBoostTrainer.XGBoostPredictor) plugin
        .create(plugin.configSpec().validate("trainer", Map.of()), new Task(TaskType.BINARY, List.of("0", "1"))).predictor(model);
    List<String> names = new ArrayList<>();
    for (int c = 0; c < columns; c++) {
      names.add("f" + c);
    }
    Map<String, OneRow> ways = new java.util.LinkedHashMap<>();
    ways.put("beamline java, complete trees", r -> complete.predict(r, 1, columns)[0][0]);
    ways.put("beamline java, tree links", r -> links.predict(r, 1, columns)[0][0]);
    ways.put("beamline native (in-place)", r -> native1.predictNatively(new FeatureMatrix(1, columns, names, null, null, r, new float[] {Float.NaN},
        null))[0][0]);
    ways.put("xgboost4j DMatrix + predict", r -> {
      DMatrix m = new DMatrix(r, 1, columns, Float.NaN);
      try {
        return booster.predict(m)[0][0];
      } finally {
        m.dispose();
      }
    });
    float[] reference = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      reference[i] = ways.get("xgboost4j DMatrix + predict").predict(rows[i]);
    }
    System.out.printf("%d trees' model, %d rows of %d features, %d rounds each%n", complete.features() > 0 ? treeCount(json) : 0, rows.length,
        columns, rounds);
    System.out.printf("%-32s %12s %16s%n", "way", "us per row", "max |diff|");
    for (Map.Entry<String, OneRow> way : ways.entrySet()) {
      double[] perRow = new double[rounds];
      double worst = 0;
      for (int round = -3; round < rounds; round++) { // three rounds of warm-up
        long start = System.nanoTime();
        for (int i = 0; i < rows.length; i++) {
          float p = way.getValue().predict(rows[i]);
          worst = Math.max(worst, Math.abs(p - reference[i]));
        }
        if (round >= 0) {
          perRow[round] = (System.nanoTime() - start) / 1000.0 / rows.length;
        }
      }
      Arrays.sort(perRow);
      System.out.printf("%-32s %12.2f %16.3g%n", way.getKey(), perRow[rounds / 2], worst);
    }
    native1.close();
    booster.dispose();
  }

  private static int treeCount(byte[] json) throws java.io.IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("learner").path("gradient_booster").path("model")
        .path("trees").size();
  }

  private static float[][] rows(Path file, int columns) throws java.io.IOException {
    FloatBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[][] rows = new float[all.remaining() / columns][columns];
    for (float[] row : rows) {
      all.get(row);
    }
    return rows;
  }
}
