package dev.beamline.spi.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row of data, laid out by a {@link Schema}: numeric columns as primitive doubles, categorical ones as
 * strings, sparse ones as vectors. Compact on purpose: a row is three arrays, not a map of boxed fields.
 * The arrays belong to the record; code that transforms a record makes a new one.
 *
 * @param id a stable identifier of the row, unique within a run and the same on every runner
 *     (sources derive it from the input's ordinal and the line number); splits and row order use it
 * @param numbers numeric columns in schema order; {@code NaN} is missing
 * @param texts categorical columns in schema order; {@code null} is missing
 * @param sparse sparse columns in schema order
 */
public record Record(long id, double[] numbers, String[] texts, SparseVector[] sparse) implements Serializable {
  private static final SparseVector[] NO_SPARSE = new SparseVector[0];
  private static final String[] NO_TEXT = new String[0];

  public Record {
    Objects.requireNonNull(numbers, "numbers");
    texts = texts == null ? NO_TEXT : texts;
    sparse = sparse == null ? NO_SPARSE : sparse;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Record r && id == r.id && Arrays.equals(numbers, r.numbers)
        && Arrays.equals(texts, r.texts) && Arrays.equals(sparse, r.sparse);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(numbers);
  }

  @Override
  public String toString() {
    return "Record{id=" + id + ", numbers=" + Arrays.toString(numbers) + ", texts=" + Arrays.toString(texts)
        + (sparse.length == 0 ? "" : ", sparse=" + Arrays.toString(sparse)) + "}";
  }
}
