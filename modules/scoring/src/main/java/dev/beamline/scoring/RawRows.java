package dev.beamline.scoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rows of raw values as a caller has them: named columns, each cell a {@code String}, a {@code Number}, a
 * {@code Boolean}, a {@code List} or {@code Map} (sparse columns), {@code null} (a missing value) or
 * {@link #ABSENT} (the row has no such column at all).
 */
public interface RawRows {
  /** A cell of a row that lacks the column, as in a JSON record without that key. */
  Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "<absent>";
    }
  };

  /** How many rows. */
  int size();

  /** The column names, in the order the caller gave them. */
  List<String> columns();

  /** The value of row {@code row}, column {@code column} (an index into {@link #columns()}). */
  Object cell(int row, int column);

  /** Rows in pandas' split orientation: column names and one list of values per row. */
  static RawRows ofSplit(List<String> columns, List<? extends List<?>> data) {
    List<String> cols = List.copyOf(columns);
    for (int r = 0; r < data.size(); r++) {
      if (data.get(r) == null || data.get(r).size() != cols.size()) {
        throw new IllegalArgumentException("row " + r + " has " + (data.get(r) == null ? 0 : data.get(r).size())
            + " values for " + cols.size() + " columns");
      }
    }
    return new RawRows() {
      @Override
      public int size() {
        return data.size();
      }

      @Override
      public List<String> columns() {
        return cols;
      }

      @Override
      public Object cell(int row, int column) {
        return data.get(row).get(column);
      }
    };
  }

  /** Rows as records: one map of column to value per row; a key a row lacks is {@link #ABSENT}. */
  static RawRows ofRecords(List<? extends Map<String, ?>> records) {
    Map<String, Integer> index = new LinkedHashMap<>();
    for (Map<String, ?> r : records) {
      Objects.requireNonNull(r, "a record is null");
      r.keySet().forEach(k -> index.putIfAbsent(k, index.size()));
    }
    List<String> cols = new ArrayList<>(index.keySet());
    return new RawRows() {
      @Override
      public int size() {
        return records.size();
      }

      @Override
      public List<String> columns() {
        return cols;
      }

      @Override
      public Object cell(int row, int column) {
        Map<String, ?> r = records.get(row);
        String name = cols.get(column);
        return r.containsKey(name) ? r.get(name) : ABSENT;
      }
    };
  }
}
