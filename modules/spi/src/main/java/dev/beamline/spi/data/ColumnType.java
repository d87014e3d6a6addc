package dev.beamline.spi.data;

/** What a column holds. */
public enum ColumnType {
  /** A real number; missing is {@code NaN}. */
  NUMERIC,
  /** A string category; missing is {@code null}. */
  CATEGORICAL,
  /** A sparse numeric vector (LibSVM features); an absent index means "not present" (missing). */
  SPARSE
}
