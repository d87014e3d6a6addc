package dev.beamline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.features.FeatureTransform;
import dev.beamline.features.LabelSpec;
import dev.beamline.scoring.Bundle;
import dev.beamline.scoring.RawRows;
import dev.beamline.scoring.Scorer;
import dev.beamline.scoring.ScoringPolicy;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A swap fails no request: calls in flight finish on the old model, which is freed after them. */
class ModelHolderTest {
  static final FeatureTransform TRANSFORM = new FeatureTransform(
      new Schema(List.of(new Column("x", ColumnType.NUMERIC, 0), new Column("y", ColumnType.NUMERIC, 0))),
      new LabelSpec("y", new Task(TaskType.REGRESSION, List.of()), List.of()), null,
      List.of(new FeatureTransform.Chain("x", List.of())));
  static final RawRows ONE = RawRows.ofSplit(List.of("x"), List.of(List.of(1.0)));

  /** Answers a constant; may hold calls until released; counts closes. */
  static final class ConstantPredictor implements Predictor {
    final float value;
    final CountDownLatch release;
    final CountDownLatch entered = new CountDownLatch(1);
    final AtomicInteger closes = new AtomicInteger();

    ConstantPredictor(float value, CountDownLatch release) {
      this.value = value;
      this.release = release;
    }

    @Override
    public float[][] predict(FeatureMatrix rows) {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      float[][] out = new float[rows.rows()][];
      for (int i = 0; i < out.length; i++) {
        out[i] = new float[] {value};
      }
      return out;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  static ModelHolder.Loaded loaded(String version, Predictor p) {
    Bundle bundle = new Bundle(Path.of("m" + version), TRANSFORM, "constant", "m", new byte[0], Map.of(), Map.of());
    return new ModelHolder.Loaded(new Scorer(bundle, p, ScoringPolicy.defaults()), "m", version, "", Path.of("m" + version));
  }

  @Test
  void aSwapLetsCallsInFlightFinishOnTheOldModelAndFreesItAfterThem() throws Exception {
    CountDownLatch holdOld = new CountDownLatch(1);
    ConstantPredictor old = new ConstantPredictor(1f, holdOld);
    ConstantPredictor next = new ConstantPredictor(2f, new CountDownLatch(0));
    List<String> swaps = new ArrayList<>();
    ModelHolder holder = new ModelHolder(loaded("1", old), (a, b) -> swaps.add((a == null ? "-" : a.version()) + ">" + b.version()));
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<ModelHolder.ScoredWith> inFlight = pool.submit(() -> holder.score(ONE));
      assertTrue(old.entered.await(10, TimeUnit.SECONDS));
      holder.swap(loaded("2", next));
      ModelHolder.ScoredWith after = holder.score(ONE);
      assertEquals("2", after.model().version());
      assertEquals(2f, after.result().predictions()[0][0]);
      Thread.sleep(100);
      assertEquals(0, old.closes.get(), "the old model is not freed under a call");
      holdOld.countDown();
      ModelHolder.ScoredWith before = inFlight.get(10, TimeUnit.SECONDS);
      assertEquals("1", before.model().version());
      assertEquals(1f, before.result().predictions()[0][0]);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (old.closes.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, old.closes.get(), "freed once its last call ended");
      assertEquals(List.of("->1", "1>2"), swaps);
      holder.close();
      assertEquals(1, next.closes.get());
      assertThrows(Scorer.ClosedException.class, () -> holder.score(ONE), "closed without a successor: the server is stopping");
    } finally {
      pool.shutdownNow();
    }
  }
}
