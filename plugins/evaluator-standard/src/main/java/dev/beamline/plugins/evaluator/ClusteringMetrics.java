package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Clustering metrics, each over rows predicted as (cluster, squared distance to its centre):
 *
 * <ul>
 *   <li>{@code inertia}: the weighted sum of the squared distances, as scikit-learn's {@code inertia_} (lower is better);
 *   <li>{@code silhouette}: the mean silhouette coefficient of a sample of rows (up to {@code sampleSize}), chosen by a
 *       seeded hash of the row id, so every runner and every order of the rows samples the same rows; as scikit-learn's
 *       {@code silhouette_score} (Euclidean; a point alone in its cluster scores 0), exact when the split has no more
 *       rows than the sample;
 *   <li>{@code ari}: the adjusted Rand index between the clusters and the reference label, over the rows that have one
 *       (NaN when none has), as scikit-learn's {@code adjusted_rand_score}.
 * </ul>
 *
 * A missing feature (NaN) is left out of a distance, as the k-means predictor leaves it out when it assigns the row.
 */
final class ClusteringMetrics extends Combine.CombineFn<Scored, ClusteringMetrics.Acc, Map<String, Double>> {
  private static final long serialVersionUID = 1L;

  private final List<String> wanted;
  private final int sampleSize;
  private final long seed;

  ClusteringMetrics(List<String> wanted, int sampleSize, long seed) {
    this.wanted = List.copyOf(wanted);
    this.sampleSize = sampleSize;
    this.seed = seed;
  }

  /** A sampled row: its place in the seeded order, its cluster and features. */
  record Point(long rank, int cluster, float[] features) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    double weight;
    double inertia;
    long rows;
    /** Weighted counts of (cluster, reference label) pairs, keyed by both. */
    HashMap<List<Long>, Double> pairs = new HashMap<>();
    /** The sampled rows by rank: the {@code sampleSize} smallest ranks seen. */
    TreeMap<Long, Point> sample = new TreeMap<>();
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, Scored s) {
    float[] p = s.prediction();
    long cluster = (long) p[0];
    acc.weight += s.weight();
    acc.inertia += s.weight() * p[1];
    acc.rows++;
    if (!Double.isNaN(s.label())) {
      acc.pairs.merge(List.of(cluster, (long) Math.floor(s.label())), s.weight(), Double::sum);
    }
    if (s.weight() > 0 && s.features() != null) {
      offer(acc.sample, new Point(rank(seed, s.id()), (int) cluster, s.features()));
    }
    return acc;
  }

  private void offer(TreeMap<Long, Point> sample, Point point) {
    if (sample.size() < sampleSize) {
      sample.put(point.rank(), point);
    } else if (point.rank() < sample.lastKey()) {
      sample.put(point.rank(), point);
      sample.pollLastEntry();
    }
  }

  /**
   * A row's place in the sample's order: a bijective mix of the seed and the id (SplitMix64's finalizer), so that
   * distinct rows never share a place.
   */
  static long rank(long seed, long id) {
    long z = id + seed * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.weight += a.weight;
      out.inertia += a.inertia;
      out.rows += a.rows;
      a.pairs.forEach((k, v) -> out.pairs.merge(k, v, Double::sum));
      a.sample.values().forEach(point -> offer(out.sample, point));
    }
    return out;
  }

  @Override
  public Map<String, Double> extractOutput(Acc acc) {
    Map<String, Double> all = new LinkedHashMap<>();
    all.put("inertia", acc.rows > 0 ? acc.inertia : Double.NaN);
    all.put("silhouette", silhouette(new ArrayList<>(acc.sample.values())));
    all.put("ari", adjustedRand(acc.pairs));
    Map<String, Double> out = new LinkedHashMap<>();
    wanted.forEach(m -> out.put(m, all.get(m)));
    out.put("rows", (double) acc.rows);
    return out;
  }

  /** The mean silhouette of the points (in rank order); NaN with fewer than two clusters among them. */
  static double silhouette(List<Point> points) {
    Map<Integer, Integer> index = new TreeMap<>();
    points.forEach(p -> index.putIfAbsent(p.cluster(), 0));
    if (index.size() < 2) {
      return Double.NaN;
    }
    int c = 0;
    for (Map.Entry<Integer, Integer> e : index.entrySet()) {
      e.setValue(c++);
    }
    int n = points.size();
    int[] cluster = new int[n];
    int[] sizes = new int[index.size()];
    for (int i = 0; i < n; i++) {
      cluster[i] = index.get(points.get(i).cluster());
      sizes[cluster[i]]++;
    }
    double[][] sums = new double[n][index.size()];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double d = distance(points.get(i).features(), points.get(j).features());
        sums[i][cluster[j]] += d;
        sums[j][cluster[i]] += d;
      }
    }
    double total = 0;
    for (int i = 0; i < n; i++) {
      int own = cluster[i];
      if (sizes[own] == 1) {
        continue; // a point alone in its cluster scores 0
      }
      double a = sums[i][own] / (sizes[own] - 1);
      double b = Double.POSITIVE_INFINITY;
      for (int k = 0; k < sizes.length; k++) {
        if (k != own) {
          b = Math.min(b, sums[i][k] / sizes[k]);
        }
      }
      double m = Math.max(a, b);
      total += m > 0 ? (b - a) / m : 0;
    }
    return total / n;
  }

  /** The Euclidean distance over the features both points have. */
  static double distance(float[] x, float[] y) {
    double sum = 0;
    for (int k = 0; k < x.length; k++) {
      double d = (double) x[k] - y[k];
      if (!Double.isNaN(d)) {
        sum += d * d;
      }
    }
    return Math.sqrt(sum);
  }

  /** The adjusted Rand index of a contingency table of (cluster, reference) counts; NaN when it is empty. */
  static double adjustedRand(Map<List<Long>, Double> pairs) {
    if (pairs.isEmpty()) {
      return Double.NaN;
    }
    Map<Long, Double> clusters = new TreeMap<>();
    Map<Long, Double> references = new TreeMap<>();
    double index = 0;
    double n = 0;
    TreeMap<List<Long>, Double> sorted = new TreeMap<>(ClusteringMetrics::compare); // one order of summing on every runner
    sorted.putAll(pairs);
    for (Map.Entry<List<Long>, Double> e : sorted.entrySet()) {
      double count = e.getValue();
      index += pairsOf(count);
      n += count;
      clusters.merge(e.getKey().get(0), count, Double::sum);
      references.merge(e.getKey().get(1), count, Double::sum);
    }
    double a = clusters.values().stream().mapToDouble(ClusteringMetrics::pairsOf).sum();
    double b = references.values().stream().mapToDouble(ClusteringMetrics::pairsOf).sum();
    double expected = a * b / pairsOf(n);
    double max = (a + b) / 2;
    return max == expected ? 1.0 : (index - expected) / (max - expected);
  }

  private static int compare(List<Long> x, List<Long> y) {
    int c = Long.compare(x.get(0), y.get(0));
    return c != 0 ? c : Long.compare(x.get(1), y.get(1));
  }

  /** The number of pairs among {@code count} items: count (count - 1) / 2. */
  private static double pairsOf(double count) {
    return count * (count - 1) / 2;
  }
}
