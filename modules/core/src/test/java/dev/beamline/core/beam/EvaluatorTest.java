package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.transforms.Combine;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  /**
   * A runner may call one combiner instance from several threads at once (the DirectRunner does): every thread gets
   * the same evaluator combiner, made once. With a plain lazily made map, threads racing on a fresh instance made
   * their own maps and combiners, or failed with a ConcurrentModificationException (seen in a search run).
   */
  @Test
  @SuppressWarnings("unchecked")
  void threadsAskingAtOnceShareOneCombinerMadeOnce() throws Exception {
    Task task = new Task(TaskType.REGRESSION, List.of());
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 50; round++) {
        EvaluateFn.Evaluator evaluator = new EvaluateFn.Evaluator(new PlannedStage("test", ConfigSpec.of().validate("evaluator", Map.of())));
        AtomicInteger made = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Combine.CombineFn<Scored, Object, Map<String, Double>>>> got = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          got.add(pool.submit(() -> {
            start.await();
            return evaluator.fn(task, k -> {
              made.incrementAndGet();
              sleep();
              return (Combine.CombineFn<Scored, Object, Map<String, Double>>) (Combine.CombineFn<?, ?, ?>) new Counting();
            });
          }));
        }
        Combine.CombineFn<Scored, Object, Map<String, Double>> first = got.get(0).get(10, TimeUnit.SECONDS);
        for (Future<Combine.CombineFn<Scored, Object, Map<String, Double>>> f : got) {
          assertSame(first, f.get(10, TimeUnit.SECONDS), "round " + round);
        }
        assertEquals(1, made.get(), "round " + round + ": the combiner is made once");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A stand-in evaluator combiner: counts rows. */
  private static final class Counting extends Combine.CombineFn<Scored, long[], Map<String, Double>> {
    @Override
    public long[] createAccumulator() {
      return new long[1];
    }

    @Override
    public long[] addInput(long[] acc, Scored input) {
      acc[0]++;
      return acc;
    }

    @Override
    public long[] mergeAccumulators(Iterable<long[]> accs) {
      long[] out = new long[1];
      accs.forEach(a -> out[0] += a[0]);
      return out;
    }

    @Override
    public Map<String, Double> extractOutput(long[] acc) {
      return Map.of("rows", (double) acc[0]);
    }
  }
}
