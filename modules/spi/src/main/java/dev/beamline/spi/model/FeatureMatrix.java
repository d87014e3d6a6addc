package dev.beamline.spi.model;

import java.util.List;
import java.util.Objects;

/**
 * Rows of features with labels and weights, as a trainer or a predictor takes them: either dense
 * (row-major {@code values}, {@code NaN} = missing) or compressed sparse rows ({@code rowOffsets},
 * {@code indices}, {@code values}; absent = missing).
 *
 * @param rows the number of rows
 * @param columns the number of features
 * @param featureNames the names of the features, {@code columns} of them
 * @param rowOffsets CSR row offsets ({@code rows + 1} of them), or {@code null} when dense
 * @param indices CSR column indices, or {@code null} when dense
 * @param values the values
 * @param labels one label per row ({@code NaN} when unknown, e.g. when scoring)
 * @param weights one weight per row, or {@code null} for all 1
 */
public record FeatureMatrix(
    int rows,
    int columns,
    List<String> featureNames,
    long[] rowOffsets,
    int[] indices,
    float[] values,
    float[] labels,
    float[] weights) implements TrainingRows {

  public FeatureMatrix {
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(labels, "labels");
    featureNames = List.copyOf(featureNames);
    if (labels.length != rows) {
      throw new IllegalArgumentException("labels: " + labels.length + " for " + rows + " rows");
    }
    if (rowOffsets == null && (long) rows * columns != values.length) {
      throw new IllegalArgumentException("dense values: " + values.length + " for " + rows + "x" + columns);
    }
  }

  /** Row {@code row} as a dense array of {@code columns} values (a copy; missing values and absent sparse ones are NaN). */
  public float[] row(int row) {
    if (!isSparse()) {
      return java.util.Arrays.copyOfRange(values, row * columns, (row + 1) * columns);
    }
    float[] out = new float[columns];
    java.util.Arrays.fill(out, Float.NaN);
    for (long k = rowOffsets[row]; k < rowOffsets[row + 1]; k++) {
      out[indices[(int) k]] = values[(int) k];
    }
    return out;
  }

  /** Whether this matrix is in compressed sparse row form. */
  @Override
  public boolean isSparse() {
    return rowOffsets != null;
  }

  @Override
  public boolean weighted() {
    return weights != null;
  }

  /** This matrix, as the one part of its rows. */
  @Override
  public java.util.Iterator<FeatureMatrix> parts() {
    return List.of(this).iterator();
  }

  /** This matrix. */
  @Override
  public FeatureMatrix matrix() {
    return this;
  }
}
