package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.features.TransformJson;
import dev.beamline.spi.data.Scored;
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
 * Runs the evaluator plugin's combiner, created on the worker for the fitted task (the fitted transform is
 * a side input: a multi-class task's classes may have been fitted).
 */
final class EvaluateFn extends CombineWithContext.CombineFnWithContext<Scored, EvaluateFn.Acc, Map<String, Double>> {
  private static final long serialVersionUID = 1L;

  private final PlannedStage evaluator;
  private final PCollectionView<String> transformView;
  private transient Combine.CombineFn<Scored, Object, Map<String, Double>> delegate;

  EvaluateFn(PlannedStage evaluator, PCollectionView<String> transformView) {
    this.evaluator = evaluator;
    this.transformView = transformView;
  }

  /** The delegate's accumulator, carried with Java serialization (plugins' accumulators are Serializable). */
  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    Object value;

    Acc(Object value) {
      this.value = value;
    }
  }

  @SuppressWarnings("unchecked")
  private Combine.CombineFn<Scored, Object, Map<String, Double>> delegate(CombineWithContext.Context c) {
    if (delegate == null) {
      FeatureTransform transform = TransformJson.read(c.sideInput(transformView), WorkerPlugins.steps());
      delegate = (Combine.CombineFn<Scored, Object, Map<String, Double>>) WorkerPlugins.registry()
          .evaluator(evaluator.id(), "evaluator").create(evaluator.config(), transform.label().task());
    }
    return delegate;
  }

  @Override
  public Acc createAccumulator(CombineWithContext.Context c) {
    return new Acc(delegate(c).createAccumulator());
  }

  @Override
  public Acc addInput(Acc acc, Scored input, CombineWithContext.Context c) {
    acc.value = delegate(c).addInput(acc.value, input);
    return acc;
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
  public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<Scored> inputCoder) {
    return AccumulatorCoder.of(Acc.class);
  }
}
