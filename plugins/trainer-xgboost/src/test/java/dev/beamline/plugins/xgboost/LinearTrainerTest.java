package dev.beamline.plugins.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.spi.model.Trainer;
import dev.beamline.spi.model.TrainedModel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code linear} trainer against the test kit's contract, and its coefficients. */
class LinearTrainerTest extends OtherModelContract {
  @Override
  String id() {
    return "linear";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("rounds", 50, "earlyStoppingRounds", 0, "seed", 7, "nthread", 1);
  }

  @Override
  protected double minimumFit() {
    return 0.85;
  }

  /** The coefficients in trainer.json are the model: the sigmoid of intercept + weights . features is its probability. */
  @Test
  @SuppressWarnings("unchecked")
  void theCoefficientsReproduceThePredictions() throws Exception {
    FeatureMatrix m = trainingData();
    TrainedModel model = create().train(m, null);
    Map<String, Double> w = (Map<String, Double>) model.info().get("coefficients");
    double intercept = (Double) model.info().get("intercept");
    assertEquals(List.of("a", "b", "noise"), List.copyOf(w.keySet()));
    assertTrue(w.get("a") > 1 && w.get("b") > 1, "y follows a + b: " + w);
    try (Predictor p = create().predictor(model.bytes())) {
      float[][] predicted = p.predict(m);
      for (int i = 0; i < m.rows(); i++) {
        double margin = intercept;
        for (int f = 0; f < 3; f++) {
          float x = m.values()[i * 3 + f];
          margin += Float.isNaN(x) ? 0 : w.get(m.featureNames().get(f)) * x; // a missing feature adds nothing
        }
        assertEquals(1 / (1 + Math.exp(-margin)), predicted[i][0], 1e-5, "row " + i);
      }
    }
    List<String> ranked = List.copyOf(((Map<String, Double>) model.info().get(TrainedModel.IMPORTANCE)).keySet());
    assertEquals(Set.of("a", "b"), Set.copyOf(ranked.subList(0, 2)),
        "importance: the largest absolute weights first: " + ranked);
  }

  /** With several classes a weight per class and feature, and an intercept per class: their softmax is the prediction. */
  @Test
  @SuppressWarnings("unchecked")
  void multinomialCoefficientsReproduceThePredictions() throws Exception {
    Task three = new Task(TaskType.MULTICLASS, List.of("low", "mid", "high"));
    java.util.Random r = new java.util.Random(3);
    int n = 600;
    float[] values = new float[n * 2];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      values[i * 2] = r.nextFloat();
      values[i * 2 + 1] = r.nextFloat();
      labels[i] = values[i * 2] < 0.33f ? 0 : values[i * 2] < 0.66f ? 1 : 2;
    }
    FeatureMatrix m = new FeatureMatrix(n, 2, List.of("x", "y"), null, null, values, labels, null);
    Trainer trainer = trainer().create(trainer().configSpec().validate("trainer", config()), three);
    TrainedModel model = trainer.train(m, null);
    Map<String, Map<String, Double>> w = (Map<String, Map<String, Double>>) model.info().get("coefficients");
    Map<String, Double> b = (Map<String, Double>) model.info().get("intercept");
    assertEquals(List.of("low", "mid", "high"), List.copyOf(w.keySet()));
    try (Predictor p = trainer.predictor(model.bytes())) {
      float[][] predicted = p.predict(m);
      for (int i = 0; i < n; i++) {
        double[] margin = new double[3];
        double sum = 0;
        for (int k = 0; k < 3; k++) {
          String c = three.classes().get(k);
          margin[k] = Math.exp(b.get(c) + w.get(c).get("x") * values[i * 2] + w.get(c).get("y") * values[i * 2 + 1]);
          sum += margin[k];
        }
        for (int k = 0; k < 3; k++) {
          assertEquals(margin[k] / sum, predicted[i][k], 1e-5, "row " + i + " class " + k);
        }
      }
    }
  }
}
