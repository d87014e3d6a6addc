package dev.beamline.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.spi.PredictionTable;
import dev.beamline.spi.data.ColumnType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A scoring run's predictions file read back row by row as a {@link PredictionTable} takes them: the row's key (the
 * {@code line} field), then each named column's value, numbers as doubles and text as text. One row in memory at a time.
 */
final class PredictionsFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PredictionsFile() {}

  /** The rows of {@code file} (CSV with a header, or JSON lines). The caller closes nothing: the file is closed at its end. */
  static Iterator<Object[]> rows(Path file, boolean jsonLines, List<PredictionTable.Column> columns) throws IOException {
    BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    Iterator<Object[]> rows = jsonLines ? jsonRows(reader, columns) : csvRows(reader, columns);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        boolean more = rows.hasNext();
        if (!more) {
          close(reader);
        }
        return more;
      }

      @Override
      public Object[] next() {
        return rows.next();
      }
    };
  }

  private static Iterator<Object[]> csvRows(BufferedReader reader, List<PredictionTable.Column> columns) throws IOException {
    Iterator<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Object[] next() {
        CSVRecord r = records.next();
        Object[] row = new Object[columns.size() + 1];
        row[0] = Long.parseLong(r.get("line"));
        for (int i = 0; i < columns.size(); i++) {
          String v = r.get(columns.get(i).name());
          row[i + 1] = v.isEmpty() ? null : columns.get(i).type() == ColumnType.NUMERIC ? (Object) Double.parseDouble(v) : v;
        }
        return row;
      }
    };
  }

  private static Iterator<Object[]> jsonRows(BufferedReader reader, List<PredictionTable.Column> columns) {
    Iterator<String> lines = reader.lines().iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return lines.hasNext();
      }

      @Override
      public Object[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        JsonNode r;
        try {
          r = JSON.readTree(lines.next());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        Object[] row = new Object[columns.size() + 1];
        row[0] = r.get("line").asLong();
        for (int i = 0; i < columns.size(); i++) {
          JsonNode v = r.get(columns.get(i).name());
          row[i + 1] = v == null || v.isNull() ? null : columns.get(i).type() == ColumnType.NUMERIC ? (Object) v.asDouble() : v.asText();
        }
        return row;
      }
    };
  }

  private static void close(BufferedReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
