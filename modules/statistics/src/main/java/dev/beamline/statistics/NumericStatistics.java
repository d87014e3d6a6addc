package dev.beamline.statistics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import dev.beamline.features.ExactSum;
import dev.beamline.features.SketchBytes;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A numeric column: count, missing, infinite and zero values, min, max, mean and standard deviation (from
 * exact sums), quantiles and an equal-width histogram (from a DDSketch, whose buckets only add counts), and
 * a distinct estimate. The sketch's buckets are part of the summary, so that a later comparison (drift) can
 * bin two columns alike.
 */
final class NumericStatistics implements ColumnStatistics {
  private static final long serialVersionUID = 1L;
  /** The ranks the summary gives quantiles at. */
  static final double[] RANKS = {0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99};

  private final StatisticsOptions options;
  private long count;
  private long missing;
  private long infinite;
  private long zeros;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;
  private final ExactSum sum = new ExactSum();
  private final ExactSum squares = new ExactSum();
  private transient DDSketch sketch;
  private final Distinct distinct = new Distinct();

  NumericStatistics(StatisticsOptions options) {
    this.options = options;
    this.sketch = DDSketches.unboundedDense(options.relativeAccuracy());
  }

  /** Adds a value; NaN is a missing value. */
  void add(double x) {
    if (Double.isNaN(x)) {
      missing++;
      return;
    }
    if (Double.isInfinite(x)) {
      infinite++;
      return;
    }
    count++;
    if (x == 0) {
      zeros++;
    }
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum.add(x);
    squares.addSquare(x);
    sketch.accept(x);
    distinct.add(x);
  }

  @Override
  public void add(dev.beamline.spi.data.Record row, int slot) {
    add(row.numbers()[slot]);
  }

  @Override
  public void merge(ColumnStatistics other) {
    NumericStatistics o = (NumericStatistics) other;
    count += o.count;
    missing += o.missing;
    infinite += o.infinite;
    zeros += o.zeros;
    min = Math.min(min, o.min);
    max = Math.max(max, o.max);
    sum.add(o.sum);
    squares.add(o.squares);
    sketch.mergeWith(o.sketch);
    distinct.merge(o.distinct);
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", "numeric");
    out.put("count", count);
    out.put("missing", missing);
    out.put("missingFraction", ColumnStatistics.fraction(missing, count + missing + infinite));
    out.put("infinite", infinite);
    out.put("zeros", zeros);
    boolean any = count > 0;
    out.put("min", any ? min : null);
    out.put("max", any ? max : null);
    out.put("mean", any ? mean().doubleValue() : null);
    out.put("stddev", any ? stddev() : null);
    out.put("distinct", distinct.estimate());
    Map<String, Object> quantiles = new LinkedHashMap<>();
    for (double r : RANKS) {
      quantiles.put(String.valueOf(r), any ? sketch.getValueAtQuantile(r) : null);
    }
    out.put("quantiles", quantiles);
    out.put("histogram", any ? histogram() : null);
    out.put("sketch", sketchSummary());
    return out;
  }

  private BigDecimal mean() {
    return sum.value().divide(BigDecimal.valueOf(count), MathContext.DECIMAL128);
  }

  /** The population standard deviation: sqrt(E[x^2] - E[x]^2), in exact arithmetic until the root. */
  private double stddev() {
    BigDecimal mean = mean();
    BigDecimal variance = squares.value().divide(BigDecimal.valueOf(count), MathContext.DECIMAL128)
        .subtract(mean.multiply(mean, MathContext.DECIMAL128));
    return Math.sqrt(Math.max(0, variance.doubleValue()));
  }

  /**
   * {@link StatisticsOptions#histogramBins()} equal-width bins from min to max: each sketch bucket's count goes
   * to the bin of its representative value (within the sketch's accuracy of the values it holds).
   */
  private Map<String, Object> histogram() {
    int bins = options.histogramBins();
    long[] counts = new long[bins];
    IndexMapping mapping = sketch.getIndexMapping();
    sketch.getPositiveValueStore().forEach((index, c) -> counts[binOf(mapping.value(index), bins)] += Math.round(c));
    sketch.getNegativeValueStore().forEach((index, c) -> counts[binOf(-mapping.value(index), bins)] += Math.round(c));
    counts[binOf(0, bins)] += zeros;
    List<Double> edges = new ArrayList<>();
    for (int b = 0; b <= bins; b++) {
      edges.add(b == bins ? max : min + (max - min) * b / bins);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("edges", edges);
    List<Long> countList = new ArrayList<>();
    for (long c : counts) {
      countList.add(c);
    }
    out.put("counts", countList);
    return out;
  }

  private int binOf(double v, int bins) {
    if (!(max > min)) {
      return 0;
    }
    int b = (int) Math.floor((Math.min(max, Math.max(min, v)) - min) / (max - min) * bins);
    return Math.min(bins - 1, Math.max(0, b));
  }

  /** The sketch's buckets: {@code [index, count]} pairs of the positive and negative values, the zero count. */
  private Map<String, Object> sketchSummary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("relativeAccuracy", options.relativeAccuracy());
    out.put("zeros", zeros);
    out.put("positive", bins(sketch.getPositiveValueStore()));
    out.put("negative", bins(sketch.getNegativeValueStore()));
    return out;
  }

  private static List<List<Long>> bins(Store store) {
    List<List<Long>> out = new ArrayList<>();
    for (Iterator<Bin> it = store.getAscendingIterator(); it.hasNext(); ) {
      Bin b = it.next();
      out.add(List.of((long) b.getIndex(), Math.round(b.getCount())));
    }
    return out;
  }

  /** How many zeros (and values too small to index) a sketch holds: its count less its stores'. */
  static double zeros(DDSketch sketch) {
    return sketch.getCount() - sketch.getPositiveValueStore().getTotalCount() - sketch.getNegativeValueStore().getTotalCount();
  }

  /** The quantile sketch of a column's summary ({@link #summary()}'s {@code sketch}), rebuilt from its buckets. */
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

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    SketchBytes.write(sketch, out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    sketch = SketchBytes.read(in, options.relativeAccuracy());
  }
}
