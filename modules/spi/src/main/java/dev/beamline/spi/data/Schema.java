package dev.beamline.spi.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ordered columns of a dataset and where each lives in a {@link Record}: numeric columns in
 * {@link Record#numbers()}, categorical ones in {@link Record#texts()}, sparse ones in
 * {@link Record#sparse()}, each in schema order within its kind. Immutable.
 */
public final class Schema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Column> columns;
  private final Map<String, Integer> index = new HashMap<>();
  private final int[] slots;
  private final int numericCount;
  private final int textCount;
  private final int sparseCount;

  /** @param columns the columns in order; names must be unique */
  public Schema(List<Column> columns) {
    this.columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    this.slots = new int[this.columns.size()];
    int n = 0;
    int t = 0;
    int s = 0;
    for (int i = 0; i < this.columns.size(); i++) {
      Column c = this.columns.get(i);
      if (index.put(c.name(), i) != null) {
        throw new IllegalArgumentException("duplicate column '" + c.name() + "'");
      }
      slots[i] = switch (c.type()) {
        case NUMERIC -> n++;
        case CATEGORICAL -> t++;
        case SPARSE -> s++;
      };
    }
    this.numericCount = n;
    this.textCount = t;
    this.sparseCount = s;
  }

  /** The columns in order. */
  public List<Column> columns() {
    return columns;
  }

  /** The column names in order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    columns.forEach(c -> names.add(c.name()));
    return names;
  }

  /** The column of that name, if any. */
  public Optional<Column> find(String name) {
    Integer i = index.get(name);
    return i == null ? Optional.empty() : Optional.of(columns.get(i));
  }

  /** The position of the column in the schema; -1 when absent. */
  public int position(String name) {
    return index.getOrDefault(name, -1);
  }

  /** The column's slot within its kind's array of a {@link Record}. */
  public int slot(String name) {
    int i = position(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column '" + name + "' in schema " + names());
    }
    return slots[i];
  }

  /** The slot of the column at {@code position}. */
  public int slotAt(int position) {
    return slots[position];
  }

  /** How many numeric columns. */
  public int numericCount() {
    return numericCount;
  }

  /** How many categorical columns. */
  public int textCount() {
    return textCount;
  }

  /** How many sparse columns. */
  public int sparseCount() {
    return sparseCount;
  }

  /** The value of column {@code name} in {@code record}: a Double (NaN when missing), a String (null when missing) or a SparseVector. */
  public Object value(Record record, String name) {
    int i = position(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column '" + name + "' in schema " + names());
    }
    return valueAt(record, i);
  }

  /** The value of the column at {@code position} (see {@link #position}); for per-row loops. */
  public Object valueAt(Record record, int i) {
    return switch (columns.get(i).type()) {
      case NUMERIC -> record.numbers()[slots[i]];
      case CATEGORICAL -> record.texts()[slots[i]];
      case SPARSE -> record.sparse()[slots[i]];
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema other && columns.equals(other.columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    return "Schema" + columns;
  }
}
