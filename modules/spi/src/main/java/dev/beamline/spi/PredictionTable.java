package dev.beamline.spi;

import dev.beamline.spi.data.ColumnType;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Where a source that reads a database writes predictions back: a table beside the data, whose rows are replaced, never
 * duplicated, when the same model scores the same rows again ({@code beamline predict --output-table}).
 */
public interface PredictionTable {
  /**
   * One column of the table.
   *
   * @param name its name
   * @param type {@link ColumnType#NUMERIC} (a double) or {@link ColumnType#CATEGORICAL} (text)
   */
  record Column(String name, ColumnType type) {
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  /**
   * Predictions to write.
   *
   * @param model the model's identity, part of every row's key (a registered model's name and version, or a run id)
   * @param columns the columns after the key, in order: kept input columns, the label, the scores
   * @param rows each row: its key (a {@code Long}: the line part of its id, which a database source takes from its key
   *     column), then a value per column ({@code Double}, {@code String} or null)
   */
  record Predictions(String model, List<Column> columns, Iterator<Object[]> rows) {
    public Predictions {
      Objects.requireNonNull(model, "model");
      columns = List.copyOf(columns);
      Objects.requireNonNull(rows, "rows");
    }
  }

  /**
   * Creates the table when it does not exist (the key, named as the implementation chooses, e.g. the source's key
   * column; {@code model}; then the columns; the model and the key its primary key) and writes the rows in batches,
   * each batch replacing the rows of the same model and key in one transaction.
   *
   * @return the rows written
   * @throws dev.beamline.spi.config.ConfigException when the table exists with other columns, naming them
   */
  long write(String table, Predictions predictions) throws IOException;
}
