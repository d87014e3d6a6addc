package dev.beamline.spi.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * One column of a {@link Schema}.
 *
 * @param name the column name as the pipeline spec and the data name it
 * @param type what it holds
 * @param dimension for {@link ColumnType#SPARSE}, the vector size (one more than the largest index);
 *     0 for other types
 */
public record Column(String name, ColumnType type, int dimension) implements Serializable {
  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (name.isBlank()) {
      throw new IllegalArgumentException("column name is blank");
    }
  }

  /** A numeric column. */
  public static Column numeric(String name) {
    return new Column(name, ColumnType.NUMERIC, 0);
  }

  /** A categorical column. */
  public static Column categorical(String name) {
    return new Column(name, ColumnType.CATEGORICAL, 0);
  }
}
