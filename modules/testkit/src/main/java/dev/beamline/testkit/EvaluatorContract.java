package dev.beamline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.EvaluatorFactory;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/**
 * The contract of an evaluator: gives the expected metrics on a known sample (computed by hand or by a
 * reference library), the same however the rows are partitioned and merged, the same in a Beam pipeline,
 * and nothing worse than NaN on an empty split.
 */
public abstract class EvaluatorContract extends PluginContract {
  /** The evaluator under test. */
  protected abstract EvaluatorFactory evaluator();

  /** Its configuration values. */
  protected abstract Map<String, Object> config();

  /** The task. */
  protected abstract Task task();

  /** Scored rows. */
  protected abstract List<Scored> sample();

  /** Metrics the sample must give, with their reference values. */
  protected abstract Map<String, Double> expected();

  @SuppressWarnings("unchecked")
  private Combine.CombineFn<Scored, Object, Map<String, Double>> combiner() {
    return (Combine.CombineFn<Scored, Object, Map<String, Double>>) evaluator()
        .create(evaluator().configSpec().validate("test", config()), task());
  }

  private Map<String, Double> evaluate(List<Scored> rows, int parts) {
    var fn = combiner();
    List<Object> accs = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      Object acc = fn.createAccumulator();
      for (int i = p; i < rows.size(); i += parts) {
        acc = fn.addInput(acc, rows.get(i));
      }
      accs.add(0, acc);
    }
    return fn.extractOutput(fn.mergeAccumulators(accs));
  }

  @Test
  public void givesTheReferenceMetrics() {
    Map<String, Double> got = evaluate(sample(), 1);
    expected().forEach((name, value) -> {
      assertTrue(got.containsKey(name), "no metric " + name + " in " + got);
      assertEquals(value, got.get(name), 1e-9, name);
    });
  }

  @Test
  public void doesNotDependOnPartitioning() {
    Map<String, Double> whole = evaluate(sample(), 1);
    Map<String, Double> parts = evaluate(sample(), 3);
    whole.forEach((k, v) -> assertEquals(v, parts.get(k), 1e-12, k));
  }

  @Test
  public void givesTheSameInAPipeline() {
    Pipeline p = TestPipelines.create();
    TestPipelines.Sink<Map<String, Double>> out = TestPipelines.collect(p.apply(Create.of(sample())).apply(Combine.globally(combiner())));
    p.run().waitUntilFinish();
    Map<String, Double> whole = evaluate(sample(), 1);
    assertEquals(1, out.get().size());
    whole.forEach((k, v) -> assertEquals(v, out.get().get(0).get(k), 1e-12, k));
  }

  @Test
  public void survivesAnEmptySplit() {
    Map<String, Double> empty = evaluate(List.of(), 1);
    assertEquals(0.0, empty.getOrDefault("rows", 0.0));
  }

  @Test
  public void combinerSurvivesSerialization() {
    SerializableUtils.ensureSerializable(combiner());
  }
}
