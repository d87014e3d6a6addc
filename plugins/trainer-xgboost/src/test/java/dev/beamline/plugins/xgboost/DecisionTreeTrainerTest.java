package dev.beamline.plugins.xgboost;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.testkit.TrainerContract;
import java.util.List;
import java.util.Map;

/** The {@code decision-tree} trainer against the test kit's contract, on {@link XGBoostTrainerTest#data}. */
class DecisionTreeTrainerTest extends TrainerContract {
  @Override
  protected BeamlinePlugin plugin() {
    return new XGBoostPlugin();
  }

  @Override
  protected TrainerFactory trainer() {
    return new XGBoostPlugin().trainers().stream().filter(t -> t.id().equals("decision-tree")).findFirst().orElseThrow();
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("maxDepth", 5, "seed", 7, "nthread", 1);
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
    return 0.9;
  }
}
