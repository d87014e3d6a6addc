package dev.beamline.statistics;

import dev.beamline.spi.data.SparseVector;
import java.util.LinkedHashMap;
import java.util.Map;

/** A sparse column: rows with a vector, rows without, and how many entries the vectors hold. */
final class SparseStatistics implements ColumnStatistics {
  private static final long serialVersionUID = 1L;

  private long count;
  private long missing;
  private long entries;
  private long maxEntries;

  /** Adds a vector; null is a missing value. */
  void add(SparseVector v) {
    if (v == null) {
      missing++;
      return;
    }
    count++;
    entries += v.indices().length;
    maxEntries = Math.max(maxEntries, v.indices().length);
  }

  @Override
  public void add(dev.beamline.spi.data.Record row, int slot) {
    add(row.sparse() == null ? null : row.sparse()[slot]);
  }

  @Override
  public void merge(ColumnStatistics other) {
    SparseStatistics o = (SparseStatistics) other;
    count += o.count;
    missing += o.missing;
    entries += o.entries;
    maxEntries = Math.max(maxEntries, o.maxEntries);
  }

  @Override
  public Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", "sparse");
    out.put("count", count);
    out.put("missing", missing);
    out.put("missingFraction", ColumnStatistics.fraction(missing, count + missing));
    out.put("entries", entries);
    out.put("meanEntries", count == 0 ? null : (double) entries / count);
    out.put("maxEntries", maxEntries);
    return out;
  }
}
