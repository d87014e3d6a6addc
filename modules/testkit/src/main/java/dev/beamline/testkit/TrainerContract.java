package dev.beamline.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TrainedModel;
import dev.beamline.spi.model.Trainer;
import java.util.Map;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/**
 * The contract of a trainer: trains on a small matrix and predicts one value per class (or one), learns
 * something, gives the same model for the same seed, and its model bytes load back into a predictor that
 * predicts the same. The trainer itself survives serialization (it runs in a DoFn).
 */
public abstract class TrainerContract extends PluginContract {
  /** The trainer under test. */
  protected abstract TrainerFactory trainer();

  /** The trainer's configuration values. */
  protected abstract Map<String, Object> config();

  /** The task. */
  protected abstract Task task();

  /** A small training matrix the trainer can learn from. */
  protected abstract FeatureMatrix trainingData();

  /**
   * The accuracy (classification), R^2 (regression) or purity (clustering: the share of rows whose reference label,
   * the matrix's labels, is the most common one of their cluster) the trained model must at least reach on its
   * training data.
   */
  protected abstract double minimumFit();

  /** The configured trainer. */
  protected final Trainer create() {
    return trainer().create(trainer().configSpec().validate("test", config()), task());
  }

  @Test
  public void trainsAndPredictsOneValuePerClass() throws Exception {
    TrainedModel model = create().train(trainingData(), null);
    if (trainer().searchKeys().rounds() != null) {
      assertFalse(model.history().isEmpty(), "no training history, though the trainer trains in rounds");
    }
    try (Predictor p = create().predictor(model.bytes())) {
      float[][] predictions = p.predict(trainingData());
      assertEquals(trainingData().rows(), predictions.length);
      for (float[] row : predictions) {
        assertEquals(task().predictionWidth(), row.length);
      }
      double fit = fit(predictions, trainingData());
      if (fit < minimumFit()) {
        throw new AssertionError("the model fits its training data too poorly: " + fit + " < " + minimumFit());
      }
    }
  }

  private double fit(float[][] predictions, FeatureMatrix m) {
    switch (task().type()) {
      case REGRESSION -> {
        double mean = 0;
        for (float y : m.labels()) {
          mean += y / m.rows();
        }
        double ssr = 0;
        double sst = 0;
        for (int i = 0; i < m.rows(); i++) {
          ssr += Math.pow(predictions[i][0] - m.labels()[i], 2);
          sst += Math.pow(m.labels()[i] - mean, 2);
        }
        return 1 - ssr / sst;
      }
      case CLUSTERING -> {
        Map<Integer, Map<Integer, Integer>> byCluster = new java.util.TreeMap<>();
        for (int i = 0; i < m.rows(); i++) {
          assertTrue(predictions[i][1] >= 0, "the squared distance to the cluster's centre is not negative");
          byCluster.computeIfAbsent((int) predictions[i][0], c -> new java.util.TreeMap<>()).merge((int) m.labels()[i], 1, Integer::sum);
        }
        int majority = 0;
        for (Map<Integer, Integer> labels : byCluster.values()) {
          majority += labels.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        }
        return (double) majority / m.rows();
      }
      case BINARY -> {
        int correct = 0;
        for (int i = 0; i < m.rows(); i++) {
          correct += (predictions[i][0] >= 0.5 ? 1 : 0) == (int) m.labels()[i] ? 1 : 0;
        }
        return (double) correct / m.rows();
      }
      default -> {
        int correct = 0;
        for (int i = 0; i < m.rows(); i++) {
          int best = 0;
          for (int k = 1; k < predictions[i].length; k++) {
            best = predictions[i][k] > predictions[i][best] ? k : best;
          }
          correct += best == (int) m.labels()[i] ? 1 : 0;
        }
        return (double) correct / m.rows();
      }
    }
  }

  /**
   * The settings a search may set ({@link TrainerFactory#searchKeys()}) are integer settings of the trainer, and the
   * trainer accepts the values a search gives them: a few rounds, early stopping off, one thread.
   */
  @Test
  public void searchKeysAreIntegerSettingsItAccepts() throws Exception {
    TrainerFactory.SearchKeys keys = trainer().searchKeys();
    Map<String, Object> values = new java.util.LinkedHashMap<>(config());
    // Each: what the key means, the trainer's key for it, the value a search gives it.
    Object[][] settings = {{"rounds", keys.rounds(), 3}, {"earlyStopping", keys.earlyStopping(), 0}, {"threads", keys.threads(), 1}};
    for (Object[] setting : settings) {
      String key = (String) setting[1];
      if (key == null) {
        continue;
      }
      var declared = trainer().configSpec().keys().stream().filter(k -> k.name().equals(key)).findFirst();
      assertTrue(declared.isPresent(), "searchKeys()." + setting[0] + " names '" + key + "', which the config spec does not have");
      assertEquals(dev.beamline.spi.config.ConfigType.INT, declared.get().type(), "searchKeys()." + setting[0] + " '" + key + "'");
      values.put(key, setting[2]);
    }
    Trainer t = trainer().create(trainer().configSpec().validate("test", values), task());
    TrainedModel model = t.train(trainingData(), null);
    if (keys.rounds() != null) {
      assertEquals(3, model.history().size(), "three rounds asked for with " + keys.rounds() + ", no validation rows");
    }
  }

  /** Scoring has the model file alone: the factory's predictor of it predicts what the trained configuration's does. */
  @Test
  public void predictsFromTheModelAlone() throws Exception {
    TrainedModel model = create().train(trainingData(), null);
    try (Predictor trained = create().predictor(model.bytes()); Predictor alone = trainer().predictor(model.bytes(), task())) {
      float[][] pa = trained.predict(trainingData());
      float[][] pb = alone.predict(trainingData());
      for (int i = 0; i < pa.length; i++) {
        assertArrayEquals(pa[i], pb[i], "row " + i);
      }
    }
  }

  /**
   * The host hands a trainer its rows block by block ({@link dev.beamline.spi.model.TrainingRows}); the model must be
   * the one the rows give as one matrix, however they are parted.
   */
  @Test
  public void trainsTheSameOnRowsInParts() throws Exception {
    FeatureMatrix data = trainingData();
    org.junit.jupiter.api.Assumptions.assumeFalse(data.isSparse(), "the host's blocks are dense; a sparse matrix is one part");
    byte[] whole = create().train(data, null).bytes();
    int rows = data.rows();
    RowsInParts parts = RowsInParts.of(data, rows / 3 + 1, 0, rows / 5 + 1);
    assertTrue(parts.size() > 2, "the test parts the rows into several parts");
    assertArrayEquals(whole, create().train(parts, null).bytes(), "the model on the rows in parts differs");
  }

  @Test
  public void sameSeedSameModel() throws Exception {
    assertArrayEquals(create().train(trainingData(), null).bytes(), create().train(trainingData(), null).bytes());
  }

  @Test
  public void modelBytesLoadBackAndPredictTheSame() throws Exception {
    TrainedModel model = create().train(trainingData(), null);
    try (Predictor a = create().predictor(model.bytes()); Predictor b = SerializableUtils.clone(create()).predictor(model.bytes())) {
      float[][] pa = a.predict(trainingData());
      float[][] pb = b.predict(trainingData());
      for (int i = 0; i < pa.length; i++) {
        assertArrayEquals(pa[i], pb[i]);
      }
    }
  }
}
