package dev.beamline.spi.model;

/**
 * Scores rows with a trained model. Made by {@link Trainer#predictor}; thread-safe; close it to free
 * native memory.
 */
public interface Predictor extends AutoCloseable {
  /**
   * Predicts every row of the matrix (labels are ignored).
   *
   * @return one array per row of {@link Task#predictionWidth()} values: the probability of class 1
   *     (binary), class probabilities (multi-class), the predicted value (regression), or the cluster and the
   *     squared distance to its centre (clustering)
   */
  float[][] predict(FeatureMatrix rows);

  @Override
  void close();
}
