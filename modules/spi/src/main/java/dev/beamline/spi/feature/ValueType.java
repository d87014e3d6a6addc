package dev.beamline.spi.feature;

/** What a feature step takes in and passes on. */
public enum ValueType {
  /** A double; missing is {@code NaN}. */
  NUMBER,
  /** A string; missing is {@code null}. */
  TEXT,
  /** A {@link dev.beamline.spi.data.SparseVector}. */
  SPARSE,
  /** Nothing passes on: the step encoded the value into features itself (one-hot, for instance). */
  ENCODED
}
