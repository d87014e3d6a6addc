package dev.beamline.statistics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How far a column's distribution moved from a reference (drift between a training set and new data, or skew
 * between training and serving data): the Jensen-Shannon divergence (base 2: 0 for the same distribution, 1
 * for disjoint ones) for numeric and categorical columns, and the L-infinity distance (the largest change in
 * one category's share) for categorical ones. A numeric column is compared over bins cut at the reference's
 * quantiles at 5% steps (a value holding much of the reference in a bin of its own), each side's values
 * placed by its quantile sketch; a categorical one over every value either side has. Works on summaries ({@link DatasetStatistics#summary()}).
 */
public final class Drift {
  /** The Jensen-Shannon divergence above which a column has drifted, unless its schema says otherwise. */
  public static final double DEFAULT_MAX_JENSEN_SHANNON = 0.1;
  private static final int BINS = 20;

  private Drift() {}

  /**
   * One column's distance from its reference.
   *
   * @param jensenShannon the divergence, or null when it cannot be measured ({@code note} says why)
   * @param lInfinity the L-infinity distance (categorical columns), or null
   * @param note why a figure is missing, or null
   */
  public record Measure(Double jensenShannon, Double lInfinity, String note) {}

  /** Compares two summaries of the same column. */
  @SuppressWarnings("unchecked")
  public static Measure compare(Map<String, Object> reference, Map<String, Object> current) {
    String type = (String) reference.get("type");
    if (!type.equals(current.get("type"))) {
      return new Measure(null, null, "the types differ");
    }
    if (((Number) reference.get("count")).longValue() == 0 || ((Number) current.get("count")).longValue() == 0) {
      return new Measure(null, null, "a side has no values");
    }
    if (type.equals("numeric")) {
      DDSketch ref = NumericStatistics.sketchOf(reference);
      Edges edges = Edges.of(ref);
      return new Measure(jensenShannon(binned(ref, edges), binned(NumericStatistics.sketchOf(current), edges)), null, null);
    }
    if (type.equals("categorical")) {
      Map<String, Number> a = (Map<String, Number>) reference.get("values");
      Map<String, Number> b = (Map<String, Number>) current.get("values");
      if (a == null || b == null) {
        return new Measure(null, null, "too many distinct values to compare");
      }
      Set<String> all = new TreeSet<>(a.keySet());
      all.addAll(b.keySet());
      double[] p = new double[all.size()];
      double[] q = new double[all.size()];
      int i = 0;
      for (String v : all) {
        p[i] = a.getOrDefault(v, 0).doubleValue();
        q[i] = b.getOrDefault(v, 0).doubleValue();
        i++;
      }
      normalize(p);
      normalize(q);
      double linf = 0;
      for (int k = 0; k < p.length; k++) {
        linf = Math.max(linf, Math.abs(p[k] - q[k]));
      }
      return new Measure(jensenShannon(p, q), linf, null);
    }
    return new Measure(null, null, "sparse columns are not compared");
  }

  /**
   * Where the bins are cut: the reference's quantiles at 5% steps, repeats dropped; an edge whose value holds
   * at least a twentieth of the reference (a point mass: the 0 of a count, a code of a few values) gets a bin
   * of its own.
   */
  private record Edges(double[] at, boolean[] own) {
    static Edges of(DDSketch reference) {
      TreeSet<Double> values = new TreeSet<>();
      for (int k = 1; k < BINS; k++) {
        values.add(reference.getValueAtQuantile((double) k / BINS));
      }
      double[] at = values.stream().mapToDouble(Double::doubleValue).toArray();
      Map<Double, Double> mass = new java.util.HashMap<>();
      IndexMapping mapping = reference.getIndexMapping();
      reference.getPositiveValueStore().forEach((index, count) -> mass.merge(mapping.value(index), count, Double::sum));
      reference.getNegativeValueStore().forEach((index, count) -> mass.merge(-mapping.value(index), count, Double::sum));
      mass.merge(0.0, NumericStatistics.zeros(reference), Double::sum);
      boolean[] own = new boolean[at.length];
      for (int i = 0; i < at.length; i++) {
        own[i] = mass.getOrDefault(at[i], 0.0) >= reference.getCount() / BINS;
      }
      return new Edges(at, own);
    }

    /** The bin of a value: {@code 2k} below edge k (and not below edge k-1), {@code 2k+1} at an edge with a bin of its own. */
    int bin(double v) {
      int i = Arrays.binarySearch(at, v);
      if (i >= 0) {
        return own[i] ? 2 * i + 1 : 2 * (i + 1);
      }
      return 2 * (-i - 1);
    }

    int bins() {
      return 2 * at.length + 1;
    }
  }

  /** The sketch's counts over the bins, as shares; each bucket goes by its value. */
  private static double[] binned(DDSketch sketch, Edges edges) {
    double[] counts = new double[edges.bins()];
    IndexMapping mapping = sketch.getIndexMapping();
    sketch.getPositiveValueStore().forEach((index, count) -> counts[edges.bin(mapping.value(index))] += count);
    sketch.getNegativeValueStore().forEach((index, count) -> counts[edges.bin(-mapping.value(index))] += count);
    counts[edges.bin(0)] += NumericStatistics.zeros(sketch);
    normalize(counts);
    return counts;
  }

  private static void normalize(double[] p) {
    double sum = Arrays.stream(p).sum();
    for (int i = 0; i < p.length; i++) {
      p[i] = sum == 0 ? 0 : p[i] / sum;
    }
  }

  /** The Jensen-Shannon divergence of two distributions over the same bins, in bits. */
  static double jensenShannon(double[] p, double[] q) {
    double js = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      if (p[i] > 0) {
        js += 0.5 * p[i] * Math.log(p[i] / m);
      }
      if (q[i] > 0) {
        js += 0.5 * q[i] * Math.log(q[i] / m);
      }
    }
    return Math.max(0, js / Math.log(2));
  }
}
