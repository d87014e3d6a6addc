package dev.beamline.statistics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A categorical column: count, missing, and every value's exact count while the column has at most
 * {@link StatisticsOptions#maxValues()} distinct values; past that the column is free text, its counts are
 * dropped and only a distinct estimate remains. Whether a column overflows depends only on its values (a
 * part or a merge overflows only when the whole does), so the outcome is the same on every runner. The
 * distinct sketch is filled only once a column overflows (from the values counted so far, then value by
 * value): a sketch holds the same registers whatever order its values come in, and the common column of a few
 * dozen values never pays for hashing.
 */
final class CategoricalStatistics implements ColumnStatistics {
  private static final long serialVersionUID = 1L;

  private final StatisticsOptions options;
  private long count;
  private long missing;
  /** Value to count; null once the column has more than {@code maxValues} distinct values. */
  private HashMap<String, Long> counts = new HashMap<>();
  /** The distinct values' sketch, filled once {@link #counts} is dropped. */
  private final Distinct distinct = new Distinct();

  CategoricalStatistics(StatisticsOptions options) {
    this.options = options;
  }

  /** Adds a value; null is a missing value. */
  void add(String value) {
    if (value == null) {
      missing++;
      return;
    }
    count++;
    if (counts != null) {
      counts.merge(value, 1L, Long::sum);
      overflowCheck();
    } else {
      distinct.add(value);
    }
  }

  @Override
  public void add(dev.beamline.spi.data.Record row, int slot) {
    add(row.texts()[slot]);
  }

  @Override
  public void merge(ColumnStatistics other) {
    CategoricalStatistics o = (CategoricalStatistics) other;
    count += o.count;
    missing += o.missing;
    if (counts != null && o.counts != null) {
      o.counts.forEach((v, c) -> counts.merge(v, c, Long::sum));
      overflowCheck();
      return;
    }
    overflow();
    if (o.counts != null) {
      o.counts.keySet().forEach(distinct::add);
    } else {
      distinct.merge(o.distinct);
    }
  }

  private void overflowCheck() {
    if (counts.size() > options.maxValues()) {
      overflow();
    }
  }

  /** Drops the exact counts, their values going into the distinct sketch. */
  private void overflow() {
    if (counts != null) {
      counts.keySet().forEach(distinct::add);
      counts = null;
    }
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", "categorical");
    out.put("count", count);
    out.put("missing", missing);
    out.put("missingFraction", ColumnStatistics.fraction(missing, count + missing));
    boolean exact = counts != null;
    out.put("distinct", exact ? (long) counts.size() : distinct.estimate());
    out.put("distinctExact", exact);
    List<Map.Entry<String, Long>> ordered = new ArrayList<>(exact ? counts.entrySet() : List.of());
    ordered.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())));
    List<Map<String, Object>> top = new ArrayList<>();
    for (Map.Entry<String, Long> e : ordered.subList(0, Math.min(options.topValues(), ordered.size()))) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("value", e.getKey());
      t.put("count", e.getValue());
      top.add(t);
    }
    out.put("top", top);
    Map<String, Long> values = new LinkedHashMap<>();
    ordered.forEach(e -> values.put(e.getKey(), e.getValue()));
    out.put("values", exact ? values : null);
    return out;
  }
}
