package dev.beamline.core.beam;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/** Passes elements through, counting them on a named counter and on a stage's clock. */
final class Tally<T> extends DoFn<T, T> {
  private static final long serialVersionUID = 1L;

  /** Whether the elements count as the stage's output or its rejected rows. */
  enum As { OUT, REJECTED }

  private final String counter;
  private final StageClock clock;
  private final As as;
  private transient Counter metric;
  private transient long pending;

  Tally(String counter, String stage, As as) {
    this.counter = counter;
    this.clock = new StageClock(stage);
    this.as = as;
  }

  @StartBundle
  public void start() {
    if (metric == null) {
      metric = Metrics.counter(StageClock.NAMESPACE, counter);
    }
    clock.start();
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<T> out) {
    pending++;
    clock.count(1, as == As.OUT ? 1 : 0, as == As.REJECTED ? 1 : 0);
    out.output(element);
  }

  @FinishBundle
  public void finish() {
    if (pending > 0) {
      metric.inc(pending);
    }
    pending = 0;
    clock.finish();
  }
}
