package dev.beamline.statistics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How far a column's distribution moved from a reference (drift between a training set and new data, or skew
 * between training and serving data): the Jensen-Shannon divergence (base 2: 0 for the same distribution, 1
 * for disjoint ones) for numeric and categorical columns, and the L-infinity distance (the largest change in
 * one category's share) for categorical ones. A numeric column is compared over the reference's twenty
 * equal-count bins (its quantiles at 5% steps), each side's values placed by its quantile sketch; a
 * categorical one over every value either side has. Works on summaries ({@link DatasetStatistics#summary()}).
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
      DDSketch ref = sketchOf(reference);
      double[] edges = edges(ref);
      return new Measure(jensenShannon(binned(ref, edges), binned(sketchOf(current), edges)), null, null);
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

  /** The column's quantile sketch, rebuilt from its summary's buckets. */
  @SuppressWarnings("unchecked")
  static DDSketch sketchOf(Map<String, Object> column) {
    Map<String, Object> s = (Map<String, Object>) column.get("sketch");
    DDSketch sketch = DDSketches.unboundedDense(((Number) s.get("relativeAccuracy")).doubleValue());
    for (List<Number> bin : (List<List<Number>>) s.get("positive")) {
      sketch.getPositiveValueStore().add(bin.get(0).intValue(), bin.get(1).longValue());
    }
    for (List<Number> bin : (List<List<Number>>) s.get("negative")) {
      sketch.getNegativeValueStore().add(bin.get(0).intValue(), bin.get(1).longValue());
    }
    long zeros = ((Number) s.get("zeros")).longValue();
    if (zeros > 0) {
      sketch.accept(0, zeros);
    }
    return sketch;
  }

  /** The reference's quantiles at 5% steps, repeats dropped: the inner edges of the bins. */
  private static double[] edges(DDSketch reference) {
    Set<Double> edges = new TreeSet<>();
    for (int k = 1; k < BINS; k++) {
      edges.add(reference.getValueAtQuantile((double) k / BINS));
    }
    return edges.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The sketch's counts over the bins the edges make (bin i holds values below edge i and at least edge i-1), as shares. */
  private static double[] binned(DDSketch sketch, double[] edges) {
    double[] counts = new double[edges.length + 1];
    IndexMapping mapping = sketch.getIndexMapping();
    sketch.getPositiveValueStore().forEach((index, count) -> counts[bin(mapping.value(index), edges)] += count);
    sketch.getNegativeValueStore().forEach((index, count) -> counts[bin(-mapping.value(index), edges)] += count);
    double zeros = sketch.getCount() - sketch.getPositiveValueStore().getTotalCount() - sketch.getNegativeValueStore().getTotalCount();
    counts[bin(0, edges)] += zeros;
    normalize(counts);
    return counts;
  }

  private static int bin(double v, double[] edges) {
    int i = Arrays.binarySearch(edges, v);
    return i >= 0 ? i + 1 : -i - 1;
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
