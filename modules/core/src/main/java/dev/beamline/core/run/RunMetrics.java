package dev.beamline.core.run;

import dev.beamline.core.beam.StageClock;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.metrics.MetricNameFilter;

/** A snapshot of the pipeline's Beamline counters and stage clocks (attempted values: every runner reports them). */
public final class RunMetrics {
  private final Map<String, Long> counters = new HashMap<>();
  private final Map<String, DistributionResult> clocks = new HashMap<>();

  /** Queries the result's metrics; empty when the runner reports none. */
  public static RunMetrics of(PipelineResult result) {
    RunMetrics m = new RunMetrics();
    MetricQueryResults q;
    try {
      q = result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.inNamespace(StageClock.NAMESPACE)).build());
    } catch (UnsupportedOperationException | IllegalStateException e) {
      return m;
    }
    for (MetricResult<Long> c : q.getCounters()) {
      m.counters.merge(c.getName().getName(), attempted(c), Long::sum);
    }
    for (MetricResult<DistributionResult> d : q.getDistributions()) {
      DistributionResult v = attempted(d);
      if (v != null) {
        m.clocks.merge(d.getName().getName(), v, (a, b) -> DistributionResult.create(a.getSum() + b.getSum(),
            a.getCount() + b.getCount(), Math.min(a.getMin(), b.getMin()), Math.max(a.getMax(), b.getMax())));
      }
    }
    return m;
  }

  private static <T> T attempted(MetricResult<T> r) {
    try {
      return r.getAttempted();
    } catch (UnsupportedOperationException e) {
      return r.getCommitted();
    }
  }

  /** A counter's value (0 when absent). */
  public long counter(String name) {
    Long v = counters.get(name);
    return v == null ? 0 : v;
  }

  /** A stage clock's [first, last] epoch milliseconds, or null when the stage did no work. */
  public long[] clock(String stage) {
    DistributionResult d = clocks.get(StageClock.clockName(stage));
    return d == null || d.getCount() == 0 ? null : new long[] {d.getMin(), d.getMax()};
  }
}
