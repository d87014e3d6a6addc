package dev.beamline.spi.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A sparse vector: strictly increasing indices and their values. Absent indices are "not present"
 * (XGBoost treats them as missing). Arrays are owned by the vector and must not be changed.
 *
 * @param indices strictly increasing, non-negative
 * @param values the values, one per index
 */
public record SparseVector(int[] indices, float[] values) implements Serializable {
  public SparseVector {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(values, "values");
    if (indices.length != values.length) {
      throw new IllegalArgumentException("indices and values differ in length");
    }
  }

  /** The number of stored entries. */
  public int size() {
    return indices.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SparseVector v && Arrays.equals(indices, v.indices) && Arrays.equals(values, v.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(indices) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < indices.length; i++) {
      sb.append(i == 0 ? "" : " ").append(indices[i]).append(':').append(values[i]);
    }
    return sb.append('}').toString();
  }
}
