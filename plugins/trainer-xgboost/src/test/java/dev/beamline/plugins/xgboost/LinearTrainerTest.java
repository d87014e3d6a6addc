package dev.beamline.plugins.xgboost;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.testkit.TrainerContract;
import java.util.List;
import java.util.Map;

/** The {@code linear} trainer against the test kit's contract, on {@link XGBoostTrainerTest#data}. */
class LinearTrainerTest extends TrainerContract {
  @Override
  protected BeamlinePlugin plugin() {
    return new XGBoostPlugin();
  }

  @Override
  protected TrainerFactory trainer() {
    return new XGBoostPlugin().trainers().stream().filter(t -> t.id().equals("linear")).findFirst().orElseThrow();
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("rounds", 50, "earlyStoppingRounds", 0, "seed", 7, "nthread", 1);
  }

  @Override
  protected Task task() {
    return new Task(TaskType.BINARY, List.of("0", "1"));
  }

  @Override
  protected FeatureMatrix trainingData() {
    return XGBoostTrainerTest.data(500, 1);
  }

  @Override
  protected double minimumFit() {
    return 0.85;
  }

  /** The coefficients in trainer.json are the model: the sigmoid of intercept + weights . features is its probability. */
  @org.junit.jupiter.api.Test
  @SuppressWarnings("unchecked")
  void theCoefficientsReproduceThePredictions() throws Exception {
    FeatureMatrix m = trainingData();
    dev.beamline.spi.model.TrainedModel model = create().train(m, null);
    Map<String, Double> w = (Map<String, Double>) model.info().get("coefficients");
    double intercept = (Double) model.info().get("intercept");
    org.junit.jupiter.api.Assertions.assertEquals(List.of("a", "b", "noise"), List.copyOf(w.keySet()));
    org.junit.jupiter.api.Assertions.assertTrue(w.get("a") > 1 && w.get("b") > 1, "y follows a + b: " + w);
    try (dev.beamline.spi.model.Predictor p = create().predictor(model.bytes())) {
      float[][] predicted = p.predict(m);
      for (int i = 0; i < m.rows(); i++) {
        double margin = intercept;
        for (int f = 0; f < 3; f++) {
          float x = m.values()[i * 3 + f];
          margin += Float.isNaN(x) ? 0 : w.get(m.featureNames().get(f)) * x; // a missing feature adds nothing
        }
        org.junit.jupiter.api.Assertions.assertEquals(1 / (1 + Math.exp(-margin)), predicted[i][0], 1e-5, "row " + i);
      }
    }
    List<String> ranked = List.copyOf(((Map<String, Double>) model.info().get(dev.beamline.spi.model.TrainedModel.IMPORTANCE)).keySet());
    org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("a", "b"), java.util.Set.copyOf(ranked.subList(0, 2)),
        "importance: the largest absolute weights first: " + ranked);
  }
}
