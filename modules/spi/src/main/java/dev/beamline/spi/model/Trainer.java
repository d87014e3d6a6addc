package dev.beamline.spi.model;

import java.io.Serializable;

/**
 * Fits a model on a feature matrix. Made by a {@link dev.beamline.spi.TrainerFactory} from the stage's
 * configuration; serializable, because the host runs it inside a Beam DoFn on a worker. Plain Java.
 */
public interface Trainer extends Serializable {
  /**
   * Trains.
   *
   * @param train the training rows, in a deterministic order (by row id)
   * @param validation validation rows for early stopping and history, or {@code null}
   * @return the model and its history
   * @throws dev.beamline.spi.config.ConfigException when the data does not suit the configuration
   *     (e.g. a label outside the classes)
   */
  TrainedModel train(FeatureMatrix train, FeatureMatrix validation) throws Exception;

  /** A predictor for a model this trainer made (its {@link TrainedModel#bytes()}). */
  Predictor predictor(byte[] model) throws Exception;
}
