package dev.beamline.statistics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import dev.beamline.statistics.Anomaly.Severity;
import dev.beamline.statistics.DataSchema.ColumnSchema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a dataset's statistics against a {@link DataSchema}: a column the schema requires and the data lacks,
 * a column the schema does not know, a changed type, more missing values than allowed, values outside a
 * numeric range or a categorical domain beyond the tolerated share. Shares within the tolerance but above
 * zero are warnings. Works on summaries ({@link DatasetStatistics#summary()}), so a {@code statistics.json}
 * written by any run can be checked.
 */
public final class Validation {
  private Validation() {}

  /** The anomalies of {@code dataset}'s statistics, in schema order, then the data's extra columns. */
  @SuppressWarnings("unchecked")
  public static List<Anomaly> check(DataSchema schema, String dataset, Map<String, Object> datasetSummary) {
    Map<String, Object> columns = (Map<String, Object>) datasetSummary.get("columns");
    List<Anomaly> out = new ArrayList<>();
    for (ColumnSchema expected : schema.columns()) {
      Map<String, Object> c = (Map<String, Object>) columns.get(expected.name());
      if (c == null) {
        out.add(new Anomaly(dataset, expected.name(), "missing_column", expected.required() ? Severity.ERROR : Severity.WARNING,
            "the data has no column '" + expected.name() + "'" + (expected.required() ? " and the schema requires it" : "")));
        continue;
      }
      String type = (String) c.get("type");
      if (!type.equals(expected.type())) {
        out.add(new Anomaly(dataset, expected.name(), "type_change", Severity.ERROR,
            "the column is " + type + "; the schema says " + expected.type()));
        continue;
      }
      checkMissing(dataset, expected, c, out);
      if (type.equals("numeric")) {
        checkRange(dataset, expected, c, out);
      } else if (type.equals("categorical")) {
        checkDomain(dataset, expected, c, out);
      }
    }
    for (String name : columns.keySet()) {
      if (schema.column(name) == null) {
        out.add(new Anomaly(dataset, name, "extra_column", Severity.WARNING, "the schema does not know this column"));
      }
    }
    return out;
  }

  /**
   * The drift of every column both datasets have, from {@code reference} to {@code current}: an error where
   * the Jensen-Shannon divergence passes the column's {@code maxJensenShannon} (default
   * {@link Drift#DEFAULT_MAX_JENSEN_SHANNON}) or a categorical column's L-infinity distance its
   * {@code maxLInfinity}. {@code measured} receives every column's figures, for the report.
   *
   * @param schema the thresholds, or null for the defaults
   */
  @SuppressWarnings("unchecked")
  public static List<Anomaly> drift(DataSchema schema, String dataset, Map<String, Object> reference, Map<String, Object> current,
      Map<String, Drift.Measure> measured) {
    Map<String, Object> before = (Map<String, Object>) reference.get("columns");
    Map<String, Object> now = (Map<String, Object>) current.get("columns");
    List<Anomaly> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : before.entrySet()) {
      Map<String, Object> c = (Map<String, Object>) now.get(e.getKey());
      if (c == null) {
        continue;
      }
      Drift.Measure m = Drift.compare((Map<String, Object>) e.getValue(), c);
      measured.put(e.getKey(), m);
      ColumnSchema limits = schema == null ? null : schema.column(e.getKey());
      double maxJs = limits != null && limits.maxJensenShannon() != null ? limits.maxJensenShannon() : Drift.DEFAULT_MAX_JENSEN_SHANNON;
      Double maxLinf = limits == null ? null : limits.maxLInfinity();
      if (m.jensenShannon() != null && m.jensenShannon() > maxJs) {
        out.add(new Anomaly(dataset, e.getKey(), "drift", Severity.ERROR, String.format(Locale.ROOT,
            "Jensen-Shannon divergence %.4f from the reference; the schema allows %s", m.jensenShannon(), plain(maxJs))));
      } else if (m.lInfinity() != null && maxLinf != null && m.lInfinity() > maxLinf) {
        out.add(new Anomaly(dataset, e.getKey(), "drift", Severity.ERROR, String.format(Locale.ROOT,
            "L-infinity distance %.4f from the reference (a category's share moved that much); the schema allows %s", m.lInfinity(),
            plain(maxLinf))));
      }
    }
    return out;
  }

  /** Whether any anomaly is an error. */
  public static boolean hasErrors(List<Anomaly> anomalies) {
    return anomalies.stream().anyMatch(a -> a.severity() == Severity.ERROR);
  }

  private static void checkMissing(String dataset, ColumnSchema expected, Map<String, Object> c, List<Anomaly> out) {
    Object f = c.get("missingFraction");
    if (f != null && ((Number) f).doubleValue() > expected.maxMissingFraction()) {
      out.add(new Anomaly(dataset, expected.name(), "missing_values", Severity.ERROR, String.format(Locale.ROOT,
          "%,d values missing (%s of the rows); the schema allows %s", number(c.get("missing")), percent(((Number) f).doubleValue()),
          percent(expected.maxMissingFraction()))));
    }
  }

  private static void checkRange(String dataset, ColumnSchema expected, Map<String, Object> c, List<Anomaly> out) {
    long count = number(c.get("count"));
    if (count == 0 || (expected.min() == null && expected.max() == null)) {
      return;
    }
    double lo = expected.min() == null ? Double.NEGATIVE_INFINITY : expected.min();
    double hi = expected.max() == null ? Double.POSITIVE_INFINITY : expected.max();
    double seenMin = ((Number) c.get("min")).doubleValue();
    double seenMax = ((Number) c.get("max")).doubleValue();
    if (seenMin >= lo && seenMax <= hi) {
      return;
    }
    long outside = outsideRange(c, lo, hi);
    if (outside == 0) {
      return; // beyond a bound by less than the sketch's relative accuracy: taken to be inside
    }
    report(dataset, expected, "out_of_range", outside, count, String.format(Locale.ROOT, "outside [%s, %s] (seen %s to %s)",
        plain(lo), plain(hi), plain(seenMin), plain(seenMax)), out);
  }

  /**
   * How many values lie outside [lo, hi], from the quantile sketch's buckets: a bucket counts when it lies
   * wholly outside, so values within the sketch's relative accuracy of a bound are taken to be inside.
   */
  static long outsideRange(Map<String, Object> c, double lo, double hi) {
    DDSketch sketch = NumericStatistics.sketchOf(c);
    IndexMapping mapping = sketch.getIndexMapping();
    double[] outside = {0};
    sketch.getPositiveValueStore().forEach((index, count) -> {
      if (mapping.lowerBound(index) > hi || mapping.upperBound(index) < lo) {
        outside[0] += count;
      }
    });
    sketch.getNegativeValueStore().forEach((index, count) -> {
      if (-mapping.upperBound(index) > hi || -mapping.lowerBound(index) < lo) {
        outside[0] += count;
      }
    });
    if (0 < lo || 0 > hi) {
      outside[0] += NumericStatistics.zeros(sketch);
    }
    return Math.round(outside[0]);
  }

  @SuppressWarnings("unchecked")
  private static void checkDomain(String dataset, ColumnSchema expected, Map<String, Object> c, List<Anomaly> out) {
    long count = number(c.get("count"));
    if (expected.domain() == null || count == 0) {
      return;
    }
    Map<String, Object> values = (Map<String, Object>) c.get("values");
    if (values == null) {
      out.add(new Anomaly(dataset, expected.name(), "too_many_values", Severity.ERROR, String.format(Locale.ROOT,
          "about %,d distinct values; the schema's domain has %,d", number(c.get("distinct")), expected.domain().size())));
      return;
    }
    Set<String> domain = new HashSet<>(expected.domain());
    long outside = 0;
    List<String> examples = new ArrayList<>();
    for (Map.Entry<String, Object> v : values.entrySet()) {
      if (!domain.contains(v.getKey())) {
        outside += number(v.getValue());
        if (examples.size() < 5) {
          examples.add("'" + v.getKey() + "' (" + number(v.getValue()) + ")");
        }
      }
    }
    if (outside > 0) {
      report(dataset, expected, "out_of_domain", outside, count, "outside the domain of " + expected.domain().size() + " values, e.g. "
          + String.join(", ", examples), out);
    }
  }

  /** An error beyond the tolerated share, a warning within it. */
  private static void report(String dataset, ColumnSchema expected, String kind, long outside, long count, String what, List<Anomaly> out) {
    double share = (double) outside / count;
    boolean error = share > expected.maxOutsideFraction();
    out.add(new Anomaly(dataset, expected.name(), kind, error ? Severity.ERROR : Severity.WARNING, String.format(Locale.ROOT,
        "%,d of %,d values (%s) %s; the schema tolerates %s", outside, count, percent(share), what, percent(expected.maxOutsideFraction()))));
  }

  private static long number(Object o) {
    return o == null ? 0 : ((Number) o).longValue();
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.2f%%", share * 100);
  }

  private static String plain(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }
}
