package dev.beamline.statistics;

import java.io.Serializable;
import java.util.Map;

/**
 * One column's statistics as rows are added. Merging is commutative and associative and the summary depends
 * only on the values added, never on how they were split into parts or in which order the parts were merged:
 * every runner writes the same statistics.
 */
sealed interface ColumnStatistics extends Serializable permits NumericStatistics, CategoricalStatistics, SparseStatistics {
  /** Adds the column's value in a row: {@code slot} is its place among the row's values of its type. */
  void add(dev.beamline.spi.data.Record row, int slot);

  /** Adds what {@code other} (the same column, the same kind) has seen. */
  void merge(ColumnStatistics other);

  /** The summary: plain maps, lists, numbers and text, ready for JSON. */
  Map<String, Object> summary();

  /** The share of missing values, or null when there are no rows. */
  static Double fraction(long part, long whole) {
    return whole == 0 ? null : (double) part / whole;
  }
}
