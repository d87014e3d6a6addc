package dev.beamline.plugins.xgboost;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.testkit.TrainerContract;
import java.util.List;

/** The test kit's trainer contract for one of {@link OtherModels}, on {@link XGBoostTrainerTest#data}. */
abstract class OtherModelContract extends TrainerContract {
  /** The trainer's id. */
  abstract String id();

  @Override
  protected BeamlinePlugin plugin() {
    return new XGBoostPlugin();
  }

  @Override
  protected TrainerFactory trainer() {
    return new XGBoostPlugin().trainers().stream().filter(t -> t.id().equals(id())).findFirst().orElseThrow();
  }

  @Override
  protected Task task() {
    return new Task(TaskType.BINARY, List.of("0", "1"));
  }

  @Override
  protected FeatureMatrix trainingData() {
    return XGBoostTrainerTest.data(500, 1);
  }
}
