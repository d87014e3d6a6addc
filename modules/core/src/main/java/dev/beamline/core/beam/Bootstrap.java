package dev.beamline.core.beam;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Confidence intervals of the test metrics by the Poisson bootstrap, which parallelizes: each test row enters
 * replicate {@code r} {@code k} times, {@code k} drawn from Poisson(1) by a seeded hash of the row id and
 * {@code r} (so every runner and partitioning draws alike), which is the evaluator's own accumulator fed the
 * row with its weight times {@code k}. Each replicate's metrics come from its merged accumulator; an interval
 * is the percentile interval of a metric over the replicates, with their standard deviation as the standard
 * error.
 *
 * @param samples the number of replicates (0: none)
 * @param confidence the intervals' confidence level, e.g. 0.95
 * @param seed the run's seed
 */
record Bootstrap(int samples, double confidence, long seed) implements Serializable {
  private static final long SALT = 0xB0075L;
  /** P(K <= k) for K ~ Poisson(1), k = 0, 1, ...: beyond the last entry the draw is its index. */
  private static final double[] CUMULATIVE = cumulative();

  private static double[] cumulative() {
    double[] c = new double[20];
    double p = Math.exp(-1);
    double sum = 0;
    for (int k = 0; k < c.length; k++) {
      sum += p;
      c[k] = sum;
      p /= k + 1;
    }
    return c;
  }

  /** How many times row {@code id} enters replicate {@code r}: a Poisson(1) draw, the same on every runner. */
  int draw(long id, int r) {
    double u = SeededHash.unit(seed, SALT + r, id);
    int k = 0;
    while (k < CUMULATIVE.length && u >= CUMULATIVE[k]) {
      k++;
    }
    return k;
  }

  /**
   * The intervals of each metric but {@code rows} over the replicates' metrics:
   * {@code {metric: {"low": .., "high": .., "stderr": ..}}}; a metric undefined in every replicate is left out.
   */
  Map<String, Map<String, Double>> intervals(List<Map<String, Double>> replicates) {
    Map<String, List<Double>> values = new LinkedHashMap<>();
    for (Map<String, Double> m : replicates) {
      m.forEach((name, v) -> {
        if (!name.equals("rows") && v != null && Double.isFinite(v)) {
          values.computeIfAbsent(name, k -> new ArrayList<>()).add(v);
        }
      });
    }
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    values.forEach((name, v) -> {
      double[] sorted = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      Map<String, Double> interval = new LinkedHashMap<>();
      interval.put("low", quantile(sorted, (1 - confidence) / 2));
      interval.put("high", quantile(sorted, (1 + confidence) / 2));
      interval.put("stderr", stddev(sorted));
      out.put(name, interval);
    });
    return out;
  }

  /** The {@code q} quantile of sorted values, linearly interpolated between order statistics. */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  private static double stddev(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double mean = 0;
    for (double x : v) {
      mean += x;
    }
    mean /= v.length;
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / (v.length - 1));
  }
}
