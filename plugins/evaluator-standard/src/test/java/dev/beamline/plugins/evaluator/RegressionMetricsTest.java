package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.util.List;
import java.util.Map;

/** Regression metrics on four rows, worked by hand. */
class RegressionMetricsTest extends StandardEvaluatorContract {
  @Override
  protected Map<String, Object> config() {
    return Map.of();
  }

  @Override
  protected Task task() {
    return new Task(TaskType.REGRESSION, List.of());
  }

  @Override
  protected List<Scored> sample() {
    // labels 1, 2, 3, 4; predictions 1.5, 2, 2, 5: errors 0.5, 0, -1, 1
    return List.of(new Scored(1, 1, 1, new float[] {1.5f}), new Scored(2, 2, 1, new float[] {2f}),
        new Scored(3, 3, 1, new float[] {2f}), new Scored(4, 4, 1, new float[] {5f}));
  }

  @Override
  protected Map<String, Double> expected() {
    // SSE = 0.25 + 0 + 1 + 1 = 2.25; SST = 2.25 + 0.25 + 0.25 + 2.25 = 5
    return Map.of("rmse", Math.sqrt(2.25 / 4), "mae", 2.5 / 4, "r2", 1 - 2.25 / 5, "rows", 4.0);
  }
}
