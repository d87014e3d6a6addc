package dev.beamline.core.beam;

import dev.beamline.core.spec.PipelineSpec.SliceColumn;
import dev.beamline.core.spec.PipelineSpec.SliceSpec;
import dev.beamline.statistics.Quantiles;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The slices of the test split a row belongs to, one per slicing: by a column's value, by the bucket of a
 * numeric column (cut at the training split's quantiles, from its statistics, so every runner cuts alike), or
 * by a cross of several. The test rows carry the slice columns' raw values ({@link #columns()}) to the predict
 * stage, which adds each row to its slices' accumulators; each slice's key names the slicing and the row's
 * part per column, and {@link #label} turns it into the text {@code metrics.json} shows.
 */
public final class Slicer implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The label of a missing value. */
  static final String MISSING = "(missing)";
  private static final String MISSING_PART = "?";
  private static final String BUCKET_PART = "#";
  private static final String VALUE_PART = "=";

  private final List<SliceSpec> slicings;
  private final List<String> columns;
  /** Per slicing and part: where the row carries the part's column among {@link #columns()}. */
  private final int[][] keptAt;
  /** A bucketed column's cuts, by {@link #cutsKey}. */
  private final Map<String, List<Double>> cuts;

  private Slicer(List<SliceSpec> slicings, Map<String, List<Double>> cuts) {
    this.slicings = List.copyOf(slicings);
    this.cuts = cuts;
    this.columns = columns(slicings);
    this.keptAt = new int[slicings.size()][];
    for (int s = 0; s < keptAt.length; s++) {
      keptAt[s] = slicings.get(s).columns().stream().mapToInt(c -> columns.indexOf(c.column())).toArray();
    }
  }

  /** The raw columns the slicings read, each once, in the order rows carry them. */
  static List<String> columns(List<SliceSpec> slicings) {
    List<String> columns = new ArrayList<>();
    for (SliceSpec s : slicings) {
      for (SliceColumn c : s.columns()) {
        if (!columns.contains(c.column())) {
          columns.add(c.column());
        }
      }
    }
    return columns;
  }

  /**
   * The slicer of {@code slicings}, its buckets cut from the training split's statistics ({@code train}: that
   * split's summary in {@code statistics.json}; empty when no slicing has buckets).
   */
  @SuppressWarnings("unchecked")
  static Slicer of(List<SliceSpec> slicings, Map<String, Object> train) {
    Map<String, List<Double>> cuts = new LinkedHashMap<>();
    for (SliceSpec s : slicings) {
      for (SliceColumn c : s.columns()) {
        if (c.buckets() > 0) {
          Map<String, Object> column = (Map<String, Object>) ((Map<String, Object>) train.get("columns")).get(c.column());
          cuts.put(cutsKey(c), Quantiles.cuts(column, c.buckets()));
        }
      }
    }
    return new Slicer(slicings, cuts);
  }

  private static String cutsKey(SliceColumn c) {
    return c.column() + "/" + c.buckets();
  }

  /** The raw columns each test row carries to the predict stage, in the order {@link #forEachSlice} reads them. */
  List<String> columns() {
    return columns;
  }

  /** The number of slicings. */
  int size() {
    return slicings.size();
  }

  /** A slicing's name: its columns joined by " & ". */
  String name(int slicing) {
    return slicings.get(slicing).name();
  }

  /**
   * Gives the key of each slice row {@code row} of {@code block} belongs to (one per slicing) to {@code out}.
   * The block carries the {@link #columns()} values, a Double, a String or null (missing).
   */
  void forEachSlice(ExampleBlock block, int row, Consumer<String> out) {
    for (int s = 0; s < slicings.size(); s++) {
      List<SliceColumn> parts = slicings.get(s).columns();
      String[] key = new String[parts.size()];
      for (int p = 0; p < key.length; p++) {
        key[p] = part(parts.get(p), block.kept(row, keptAt[s][p]));
      }
      out.accept(EvaluationKey.slice(s, key));
    }
  }

  private String part(SliceColumn c, Object value) {
    if (value == null || value instanceof Double d && d.isNaN()) {
      return MISSING_PART;
    }
    if (c.buckets() == 0) {
      return VALUE_PART + (value instanceof Double d ? number(d) : value);
    }
    List<Double> cut = cuts.get(cutsKey(c));
    double v = (Double) value;
    int bucket = 0;
    while (bucket < cut.size() && v >= cut.get(bucket)) {
      bucket++;
    }
    return BUCKET_PART + bucket;
  }

  /** The text of a slice: each part's value or bucket, joined by " & ". */
  String label(int slicing, List<String> parts) {
    List<String> text = new ArrayList<>();
    for (int p = 0; p < parts.size(); p++) {
      text.add(partLabel(slicings.get(slicing).columns().get(p), parts.get(p)));
    }
    return String.join(" & ", text);
  }

  private String partLabel(SliceColumn c, String part) {
    if (part.equals(MISSING_PART)) {
      return MISSING;
    }
    if (part.startsWith(VALUE_PART)) {
      return part.substring(VALUE_PART.length());
    }
    List<Double> cut = cuts.get(cutsKey(c));
    int bucket = Integer.parseInt(part.substring(BUCKET_PART.length()));
    if (cut.isEmpty()) {
      return "all";
    }
    if (bucket == 0) {
      return "< " + number(cut.get(0));
    }
    if (bucket == cut.size()) {
      return ">= " + number(cut.get(cut.size() - 1));
    }
    return "[" + number(cut.get(bucket - 1)) + ", " + number(cut.get(bucket)) + ")";
  }

  /** Slices in the order a reader expects: buckets low to high, values as text, missing last; part by part. */
  static final Comparator<List<String>> ORDER = (a, b) -> {
    for (int p = 0; p < Math.min(a.size(), b.size()); p++) {
      int c = comparePart(a.get(p), b.get(p));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private static int comparePart(String a, String b) {
    boolean missingA = a.equals(MISSING_PART);
    boolean missingB = b.equals(MISSING_PART);
    if (missingA || missingB) {
      return Boolean.compare(missingA, missingB);
    }
    if (a.startsWith(BUCKET_PART) && b.startsWith(BUCKET_PART)) {
      return Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)));
    }
    return a.compareTo(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Slicer s && slicings.equals(s.slicings) && cuts.equals(s.cuts);
  }

  @Override
  public int hashCode() {
    return slicings.hashCode() * 31 + cuts.hashCode();
  }

  /** A number as a reader writes it: 37, not 37.0; 0.125, not 1.25E-1. */
  static String number(double v) {
    return Double.isFinite(v) ? BigDecimal.valueOf(v).stripTrailingZeros().toPlainString() : String.valueOf(v);
  }
}
