package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Runs the evaluator plugin's combiner in two phases: {@link PredictFn} adds each block's scored rows to a
 * partial accumulator right where they are predicted (so a million scored rows never travel one by one),
 * and this combiner merges the partial accumulators per key and extracts the metrics. Each partial carries
 * the task it was made for (a fitted multi-class task's classes, a champion's own task), so the evaluator
 * is created on the worker for that task.
 */
final class EvaluateFn extends Combine.CombineFn<EvaluateFn.Acc, EvaluateFn.Acc, Map<String, Double>> {
  private static final long serialVersionUID = 1L;

  private final Evaluator evaluator;

  EvaluateFn(PlannedStage evaluator) {
    this.evaluator = new Evaluator(evaluator);
  }

  /**
   * An evaluator plugin's accumulator for a task, carried with Java serialization (its accumulators are
   * Serializable); {@code value} null is the empty accumulator.
   */
  static final class Acc implements Serializable {
    private static final long serialVersionUID = 2L;
    final Task task;
    final Object value;

    Acc(Task task, Object value) {
      this.task = task;
      this.value = value;
    }
  }

  /**
   * The evaluator plugin's combiner per task, created once per worker instance. Thread-safe: a runner may call one
   * combiner instance from several threads at once (the DirectRunner does, extracting the splits' metrics side by
   * side), so the cache is a concurrent map made once.
   */
  static final class Evaluator implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PlannedStage stage;
    private transient volatile Map<Task, Combine.CombineFn<Scored, Object, Map<String, Double>>> fns;

    Evaluator(PlannedStage stage) {
      this.stage = stage;
    }

    @SuppressWarnings("unchecked")
    Combine.CombineFn<Scored, Object, Map<String, Double>> fn(Task task) {
      return fn(task, t -> (Combine.CombineFn<Scored, Object, Map<String, Double>>) WorkerPlugins.registry()
          .evaluator(stage.id(), "evaluator").create(stage.config(), t));
    }

    /** Whether the evaluator's combiner for {@code task} reads the rows' features. */
    boolean needsFeatures(Task task) {
      return WorkerPlugins.registry().evaluator(stage.id(), "evaluator").needsFeatures(task);
    }

    /** The combiner for {@code task}, made by {@code create} the first time any thread asks for it. */
    Combine.CombineFn<Scored, Object, Map<String, Double>> fn(Task task,
        java.util.function.Function<Task, Combine.CombineFn<Scored, Object, Map<String, Double>>> create) {
      Map<Task, Combine.CombineFn<Scored, Object, Map<String, Double>>> m = fns;
      if (m == null) {
        synchronized (this) {
          if (fns == null) {
            fns = new ConcurrentHashMap<>();
          }
          m = fns;
        }
      }
      return m.computeIfAbsent(task, create);
    }
  }

  @Override
  public Acc createAccumulator() {
    return new Acc(null, null);
  }

  @Override
  public Acc addInput(Acc acc, Acc input) {
    return mergeAccumulators(List.of(acc, input));
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    List<Object> values = new ArrayList<>();
    Task task = null;
    for (Acc a : accs) {
      if (a.value != null) {
        values.add(a.value);
        task = a.task;
      }
    }
    if (values.size() <= 1) {
      return values.isEmpty() ? createAccumulator() : new Acc(task, values.get(0));
    }
    return new Acc(task, evaluator.fn(task).mergeAccumulators(values));
  }

  @Override
  public Map<String, Double> extractOutput(Acc acc) {
    return acc.value == null ? Map.of() : evaluator.fn(acc.task).extractOutput(acc.value);
  }

  @Override
  public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<Acc> inputCoder) {
    return AccumulatorCoder.of(Acc.class);
  }
}
