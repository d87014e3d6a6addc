package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.util.List;
import java.util.Map;

/** Multi-class metrics on five rows, worked by hand. */
class MultiClassMetricsTest extends StandardEvaluatorContract {
  @Override
  protected Map<String, Object> config() {
    return Map.of();
  }

  @Override
  protected Task task() {
    return new Task(TaskType.MULTICLASS, List.of("a", "b", "c"));
  }

  @Override
  protected List<Scored> sample() {
    return List.of(
        new Scored(1, 0, 1, new float[] {0.7f, 0.2f, 0.1f}),   // right
        new Scored(2, 0, 1, new float[] {0.2f, 0.5f, 0.3f}),   // predicted b
        new Scored(3, 1, 1, new float[] {0.1f, 0.8f, 0.1f}),   // right
        new Scored(4, 2, 1, new float[] {0.25f, 0.25f, 0.5f}), // right
        new Scored(5, 2, 1, new float[] {0.6f, 0.1f, 0.3f}));  // predicted a
  }

  @Override
  protected Map<String, Double> expected() {
    // class a: tp 1, predicted 2, actual 2 -> f1 0.5; b: tp 1, predicted 2, actual 1 -> p .5 r 1 f1 2/3;
    // c: tp 1, predicted 1, actual 2 -> p 1 r .5 f1 2/3
    double mlogloss = -(Math.log(0.7f) + Math.log(0.2f) + Math.log(0.8f) + Math.log(0.5f) + Math.log(0.3f)) / 5;
    return Map.of("accuracy", 0.6, "error", 0.4, "macro_f1", (0.5 + 2.0 / 3 + 2.0 / 3) / 3, "mlogloss", mlogloss, "rows", 5.0);
  }
}
