package dev.beamline.core.beam;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Metrics;

/** Named counts kept locally in a DoFn and flushed to Beam counters once per bundle (cheap per row). */
final class Counts {
  private final Map<String, long[]> pending = new HashMap<>();

  void add(String name, long n) {
    pending.computeIfAbsent(name, k -> new long[1])[0] += n;
  }

  void flush() {
    pending.forEach((name, n) -> {
      if (n[0] > 0) {
        Metrics.counter(StageClock.NAMESPACE, name).inc(n[0]);
        n[0] = 0;
      }
    });
  }
}
