package dev.beamline.statistics;

import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The statistics of one dataset (a split of a run, a file to validate), every column of its schema, filled in
 * one pass: {@link #add} per row, {@link #merge} for the parts that workers filled. The summary depends only
 * on the rows, not on the parts or the merge order, so every runner writes the same figures.
 */
public final class DatasetStatistics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private final ColumnStatistics[] columns;
  private long rows;

  public DatasetStatistics(Schema schema, StatisticsOptions options) {
    this.schema = Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(options, "options");
    List<Column> cols = schema.columns();
    this.columns = new ColumnStatistics[cols.size()];
    for (int p = 0; p < columns.length; p++) {
      columns[p] = switch (cols.get(p).type()) {
        case NUMERIC -> new NumericStatistics(options);
        case CATEGORICAL -> new CategoricalStatistics(options);
        case SPARSE -> new SparseStatistics();
      };
    }
  }

  /** Adds one row of the schema. */
  public void add(Record r) {
    rows++;
    for (int p = 0; p < columns.length; p++) {
      columns[p].add(r, schema.slotAt(p));
    }
  }

  /** Adds what {@code other} (of the same schema) has seen; returns this. */
  public DatasetStatistics merge(DatasetStatistics other) {
    if (!schema.equals(other.schema)) {
      throw new IllegalArgumentException("statistics of different schemas cannot be merged: " + schema.names() + " and "
          + other.schema.names());
    }
    rows += other.rows;
    for (int p = 0; p < columns.length; p++) {
      columns[p].merge(other.columns[p]);
    }
    return this;
  }

  /** How many rows were added. */
  public long rows() {
    return rows;
  }

  /** {@code {"rows": N, "columns": {NAME: {...}, ...}}} in schema order: plain maps, lists, numbers and text. */
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("rows", rows);
    Map<String, Object> byColumn = new LinkedHashMap<>();
    for (int p = 0; p < columns.length; p++) {
      byColumn.put(schema.columns().get(p).name(), columns[p].summary());
    }
    out.put("columns", byColumn);
    return out;
  }
}
