package dev.beamline.plugins.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
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
}
