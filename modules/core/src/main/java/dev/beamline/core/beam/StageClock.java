package dev.beamline.core.beam;

import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Per-stage metrics that the CLI reports: rows in, out and rejected (counters) and when the stage first and
 * last did work (a distribution of wall-clock milliseconds, updated per bundle, so its min and max are the
 * stage's start and end). Counts are kept locally and flushed per bundle to keep the per-row cost low.
 */
public final class StageClock implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The metrics namespace. */
  public static final String NAMESPACE = "beamline";

  private final String stage;
  private transient Counter in;
  private transient Counter out;
  private transient Counter rejected;
  private transient Distribution clock;
  private transient long pendingIn;
  private transient long pendingOut;
  private transient long pendingRejected;
  private transient boolean active;

  /** @param stage the stage's name: ingest, split, transform, train, predict, evaluate, write */
  public StageClock(String stage) {
    this.stage = stage;
  }

  /** The metric name of the stage's input counter. */
  public static String inName(String stage) {
    return stage + ".in";
  }

  /** The metric name of the stage's output counter. */
  public static String outName(String stage) {
    return stage + ".out";
  }

  /** The metric name of the stage's rejected counter. */
  public static String rejectedName(String stage) {
    return stage + ".rejected";
  }

  /** The metric name of the counter a stage's completion marker sets to 1 once all its output exists. */
  public static String doneName(String stage) {
    return stage + ".done";
  }

  /** The metric name of the stage's clock distribution. */
  public static String clockName(String stage) {
    return stage + ".clock";
  }

  /** Call at the start of a bundle. The clock itself starts with the bundle's first counted row. */
  public void start() {
    if (clock == null) {
      in = Metrics.counter(NAMESPACE, inName(stage));
      out = Metrics.counter(NAMESPACE, outName(stage));
      rejected = Metrics.counter(NAMESPACE, rejectedName(stage));
      clock = Metrics.distribution(NAMESPACE, clockName(stage));
    }
  }

  /** Counts rows; the first count of a bundle marks the time (so time spent waiting for side inputs is not counted). */
  public void count(long rowsIn, long rowsOut, long rowsRejected) {
    if (!active) {
      start();
      clock.update(System.currentTimeMillis());
      active = true;
    }
    pendingIn += rowsIn;
    pendingOut += rowsOut;
    pendingRejected += rowsRejected;
  }

  /** Call at the end of a bundle: flushes the counts and marks the time. */
  public void finish() {
    if (!active) {
      return;
    }
    active = false;
    if (pendingIn > 0) {
      in.inc(pendingIn);
    }
    if (pendingOut > 0) {
      out.inc(pendingOut);
    }
    if (pendingRejected > 0) {
      rejected.inc(pendingRejected);
    }
    pendingIn = 0;
    pendingOut = 0;
    pendingRejected = 0;
    clock.update(System.currentTimeMillis());
  }
}
