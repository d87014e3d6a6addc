package dev.beamline.spi;

import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.Trainer;

/** Provides a trainer. */
public interface TrainerFactory extends StageFactory {
  @Override
  default StageKind kind() {
    return StageKind.TRAINER;
  }

  /**
   * Creates the trainer for a task.
   *
   * @throws dev.beamline.spi.config.ConfigException when the configuration does not fit the task
   *     (e.g. a regression objective for a binary task), naming the key
   */
  Trainer create(StageConfig config, Task task);

  /**
   * A predictor for a model this trainer made, from the model alone: batch scoring, the server and a champion scored
   * beside a run have the model file, not the configuration it was trained with. The default makes a trainer of the
   * default configuration and asks it, which suits a trainer whose predictor reads no setting and that has no
   * required key; a trainer with a required key overrides this (the test kit's {@code TrainerContract} checks that
   * it predicts what the trained configuration's predictor does).
   */
  default Predictor predictor(byte[] model, Task task) throws Exception {
    return create(configSpec().validate("trainer", java.util.Map.of()), task).predictor(model);
  }

  /**
   * How this trainer trains one model on several workers together ({@code trainer.workers} above 1), or empty when it
   * trains on one worker only (the default).
   */
  default java.util.Optional<dev.beamline.spi.model.Collective> collective() {
    return java.util.Optional.empty();
  }

  /**
   * The configuration keys a search may set for this trainer (see {@link SearchKeys}); by default none, and a search
   * then trains every trial and the winner exactly as configured.
   */
  default SearchKeys searchKeys() {
    return SearchKeys.NONE;
  }

  /**
   * Which of a trainer's top-level configuration keys mean the same to every trainer, so that a search can set them.
   * Each may be null: the trainer has no such setting.
   *
   * @param rounds the most boosting rounds (or epochs), an integer: successive halving raises it rung by rung, and
   *     after k-fold cross-validation the winner is retrained on every training row for the rounds its folds chose
   * @param earlyStopping the patience of early stopping, an integer, 0 for off: turned off for that retraining, which
   *     has no validation rows
   * @param threads the threads one training uses, an integer: one in each trial task, so that the runner's workers
   *     train trials side by side instead of one trial on every core (unless the pipeline sets it)
   */
  record SearchKeys(String rounds, String earlyStopping, String threads) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** No setting a search may change. */
    public static final SearchKeys NONE = new SearchKeys(null, null, null);
  }
}
