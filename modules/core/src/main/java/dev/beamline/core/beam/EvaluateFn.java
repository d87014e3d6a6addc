package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineWithContext;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Runs the evaluator plugin's combiner in two phases: {@link PredictFn} adds each block's scored rows to a
 * partial accumulator right where they are predicted (so a million scored rows never travel one by one),
 * and this combiner merges the partial accumulators per split and extracts the metrics. The evaluator is
 * created on the worker for the fitted task (a multi-class task's classes may have been fitted), from the
 * transform side input.
 */
final class EvaluateFn extends CombineWithContext.CombineFnWithContext<EvaluateFn.Acc, EvaluateFn.Acc, Map<String, Double>> {
  private static final long serialVersionUID = 1L;

  private final Evaluator evaluator;
  private final PCollectionView<String> transformView;

  EvaluateFn(PlannedStage evaluator, PCollectionView<String> transformView) {
    this.evaluator = new Evaluator(evaluator);
    this.transformView = transformView;
  }

  /** An evaluator plugin's accumulator, carried with Java serialization (its accumulators are Serializable). */
  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    final Object value;

    Acc(Object value) {
      this.value = value;
    }
  }

  /** The evaluator plugin's combiner, created once per worker instance for the task. */
  static final class Evaluator implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PlannedStage stage;
    private transient Combine.CombineFn<Scored, Object, Map<String, Double>> fn;

    Evaluator(PlannedStage stage) {
      this.stage = stage;
    }

    @SuppressWarnings("unchecked")
    Combine.CombineFn<Scored, Object, Map<String, Double>> fn(Task task) {
      if (fn == null) {
        fn = (Combine.CombineFn<Scored, Object, Map<String, Double>>) WorkerPlugins.registry()
            .evaluator(stage.id(), "evaluator").create(stage.config(), task);
      }
      return fn;
    }
  }

  private Combine.CombineFn<Scored, Object, Map<String, Double>> delegate(CombineWithContext.Context c) {
    if (evaluator.fn == null) {
      FeatureTransform transform = new TransformCache().get(c.sideInput(transformView));
      return evaluator.fn(transform.label().task());
    }
    return evaluator.fn;
  }

  @Override
  public Acc createAccumulator(CombineWithContext.Context c) {
    return new Acc(delegate(c).createAccumulator());
  }

  @Override
  public Acc addInput(Acc acc, Acc input, CombineWithContext.Context c) {
    return new Acc(delegate(c).mergeAccumulators(List.of(acc.value, input.value)));
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs, CombineWithContext.Context c) {
    List<Object> values = new ArrayList<>();
    accs.forEach(a -> values.add(a.value));
    return new Acc(delegate(c).mergeAccumulators(values));
  }

  @Override
  public Map<String, Double> extractOutput(Acc acc, CombineWithContext.Context c) {
    return delegate(c).extractOutput(acc.value);
  }

  @Override
  public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<Acc> inputCoder) {
    return AccumulatorCoder.of(Acc.class);
  }
}
