package dev.beamline.spi;

import dev.beamline.spi.config.StageConfig;
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
}
