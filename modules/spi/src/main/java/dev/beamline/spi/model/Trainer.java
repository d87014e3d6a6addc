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

  /**
   * Trains one model together with the other members of a group, each on its part of the rows: only for a trainer
   * whose factory offers a {@link Collective} ({@link dev.beamline.spi.TrainerFactory#collective()}). Every member
   * returns the same model; the host keeps rank 0's.
   *
   * @param train this member's training rows, by row id
   * @param validation this member's validation rows, or {@code null}
   * @param member this worker's rank, the group's size and the tracker
   */
  default TrainedModel train(FeatureMatrix train, FeatureMatrix validation, Collective.Member member) throws Exception {
    throw new UnsupportedOperationException(getClass().getName() + " trains on one worker; set trainer.workers: 1");
  }

  /**
   * Trains on rows the host hands over part by part ({@link TrainingRows#parts()}); the host calls this one. The default
   * joins the parts into one matrix each and calls {@link #train(FeatureMatrix, FeatureMatrix)}; a trainer that can read
   * rows part by part overrides it, and then never holds a whole copy of them. Either way the model must be the one the
   * joined matrices give ({@code TrainerContract} checks it).
   */
  default TrainedModel train(TrainingRows train, TrainingRows validation) throws Exception {
    return train(train.matrix(), validation == null ? null : validation.matrix());
  }

  /** {@link #train(FeatureMatrix, FeatureMatrix, Collective.Member)} on rows handed over part by part, as above. */
  default TrainedModel train(TrainingRows train, TrainingRows validation, Collective.Member member) throws Exception {
    return train(train.matrix(), validation == null ? null : validation.matrix(), member);
  }

  /** A predictor for a model this trainer made (its {@link TrainedModel#bytes()}). */
  Predictor predictor(byte[] model) throws Exception;
}
