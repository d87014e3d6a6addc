package dev.beamline.scoring;

import dev.beamline.features.FeatureTransform;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns raw rows into {@link Record}s of the model's schema, reading only the columns its features use
 * (the label, the weight and any other column may be absent; extra columns are ignored). A column absent
 * from a row, or a value of the wrong type, is an {@link Issue}; the policy says whether the row is still
 * scored (the value as missing) or rejected. Thread-safe.
 */
final class RowDecoder {
  private final Schema schema;
  private final CellRules rules;
  private final ScoringPolicy policy;
  /** Positions (in the schema) of the columns the features read. */
  private final int[] used;

  RowDecoder(FeatureTransform transform, CellRules rules, ScoringPolicy policy) {
    this.schema = transform.schema();
    this.rules = rules;
    this.policy = policy;
    this.used = transform.chains().stream().mapToInt(c -> schema.position(c.column())).distinct().toArray();
  }

  /** The names of the columns a row must have. */
  List<String> required() {
    List<String> names = new ArrayList<>();
    for (int p : used) {
      names.add(schema.columns().get(p).name());
    }
    return names;
  }

  /**
   * Decodes row {@code row} of {@code rows}; {@code where[p]} is the index in {@code rows.columns()} of
   * schema position {@code p}, or -1. Issues are added to {@code issues}; returns {@code null} when the row
   * is rejected.
   */
  Record decode(RawRows rows, int row, int[] where, List<Issue> issues) {
    double[] numbers = new double[schema.numericCount()];
    String[] texts = new String[schema.textCount()];
    SparseVector[] sparse = new SparseVector[schema.sparseCount()];
    Arrays.fill(numbers, Double.NaN);
    boolean rejected = false;
    for (int p : used) {
      Column column = schema.columns().get(p);
      Object raw = where[p] < 0 ? RawRows.ABSENT : rows.cell(row, where[p]);
      if (raw == RawRows.ABSENT) {
        rejected |= report(issues, row, Problem.MISSING_COLUMN, column.name(), "the row has no column '" + column.name() + "'");
        continue;
      }
      int slot = schema.slotAt(p);
      try {
        switch (column.type()) {
          case NUMERIC -> numbers[slot] = number(column.name(), raw);
          case CATEGORICAL -> texts[slot] = text(column.name(), raw);
          case SPARSE -> sparse[slot] = sparse(raw, column.dimension());
        }
      } catch (IllegalArgumentException e) {
        rejected |= report(issues, row, Problem.WRONG_TYPE, column.name(), e.getMessage());
      }
    }
    return rejected ? null : new Record(row, numbers, texts, sparse);
  }

  /** Adds an issue; returns whether the policy rejects the row for it. */
  private boolean report(List<Issue> issues, int row, Problem problem, String column, String detail) {
    boolean reject = policy.action(problem) == ScoringPolicy.Action.REJECT;
    issues.add(new Issue(row, problem, column, detail, reject));
    return reject;
  }

  private double number(String column, Object raw) {
    if (raw == null) {
      return Double.NaN;
    }
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    if (raw instanceof String s) {
      String t = rules.text(column, s);
      if (t == null) {
        return Double.NaN;
      }
      try {
        return Double.parseDouble(t.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(quote(s) + " is not a number");
      }
    }
    throw new IllegalArgumentException(describe(raw) + " is not a number");
  }

  private String text(String column, Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof String s) {
      return rules.text(column, s);
    }
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof BigInteger) {
      return raw.toString(); // a category written as a JSON number: its text, as a CSV file would have it
    }
    if (raw instanceof Number n) {
      return Double.isNaN(n.doubleValue()) ? null : n.toString();
    }
    throw new IllegalArgumentException(describe(raw) + " is not a category (text)");
  }

  /** A sparse value: {@code {"indices": [...], "values": [...]}} or a dense list of numbers. */
  private static SparseVector sparse(Object raw, int dimension) {
    if (raw == null) {
      return new SparseVector(new int[0], new float[0]);
    }
    if (raw instanceof Map<?, ?> m && m.get("indices") instanceof List<?> idx && m.get("values") instanceof List<?> val
        && idx.size() == val.size()) {
      int[] i = new int[idx.size()];
      float[] v = new float[val.size()];
      for (int k = 0; k < i.length; k++) {
        if (!(idx.get(k) instanceof Number a) || !(val.get(k) instanceof Number b) || a.intValue() < 0 || a.intValue() >= dimension
            || (k > 0 && a.intValue() <= i[k - 1])) {
          throw new IllegalArgumentException("sparse entry " + k + " must be an increasing index in 0.." + (dimension - 1) + " with a number");
        }
        i[k] = a.intValue();
        v[k] = b.floatValue();
      }
      return new SparseVector(i, v);
    }
    if (raw instanceof List<?> dense && dense.size() == dimension) {
      List<Integer> i = new ArrayList<>();
      List<Float> v = new ArrayList<>();
      for (int k = 0; k < dense.size(); k++) {
        Object o = dense.get(k);
        if (o == null) {
          continue;
        }
        if (!(o instanceof Number n)) {
          throw new IllegalArgumentException("dense value " + k + " is not a number");
        }
        i.add(k);
        v.add(n.floatValue());
      }
      float[] vals = new float[v.size()];
      for (int k = 0; k < vals.length; k++) {
        vals[k] = v.get(k);
      }
      return new SparseVector(i.stream().mapToInt(Integer::intValue).toArray(), vals);
    }
    throw new IllegalArgumentException(describe(raw) + " is not a sparse vector: give {\"indices\": [...], \"values\": [...]} or "
        + dimension + " numbers");
  }

  private static String quote(String s) {
    return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
  }

  private static String describe(Object raw) {
    String kind = raw instanceof Boolean ? "boolean" : raw instanceof List ? "list" : raw instanceof Map ? "object" : raw.getClass().getSimpleName();
    String text = String.valueOf(raw);
    return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
  }
}
