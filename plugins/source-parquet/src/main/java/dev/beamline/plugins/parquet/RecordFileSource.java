package dev.beamline.plugins.parquet;

import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.PerFile;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Reads Parquet or Avro files (see {@link ParquetAvroPlugin}): each file by one worker, record by record in the file's
 * order, the n-th record (1-based) of file f getting the id {@code RecordIds.of(source, f, n)}, or with a key column
 * {@code RecordIds.of(source, f, key)}; columns are found by name in each file's own schema.
 */
final class RecordFileSource implements SourceStage {
  private static final long serialVersionUID = 1L;

  private final Format format;
  private final List<String> files;
  private final String name;
  private final int ordinal;
  private final String keyColumn;

  /** @param keyColumn the field the row ids come from, or null for the records' positions */
  RecordFileSource(Format format, List<String> files, String name, int ordinal, String keyColumn) {
    this.format = format;
    this.files = List.copyOf(files);
    this.name = name;
    this.ordinal = ordinal;
    this.keyColumn = keyColumn;
  }

  @Override
  public List<Path> inputs() {
    return files.stream().map(Path::of).toList();
  }

  /** The first file's fields: every one Beamline reads but the key ({@link Fields#infer}). */
  @Override
  public Optional<Schema> inferSchema(int sampleRows) throws IOException {
    return files.isEmpty() ? Optional.empty() : Optional.of(format.fields(files.get(0), name).infer(keyColumn));
  }

  /** Every file has a field of a readable kind for every column, and a whole-number key field when there is a key. */
  @Override
  public void checkSchema(Schema schema) throws IOException {
    for (Column c : schema.columns()) {
      if (c.type() == ColumnType.SPARSE) {
        throw new ConfigException("source '" + name + "': column '" + c.name() + "' is sparse; a " + format.id + " source reads numeric "
            + "and categorical columns");
      }
    }
    for (String file : files) {
      Fields fields = format.fields(file, name);
      fields.bind(schema, file, name);
      if (keyColumn != null) {
        fields.key(keyColumn, file, name);
      }
    }
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> read(Schema schema) {
    return PerFile.read("Read" + format.id, files.size(), new ReadFileFn(format, files, name, ordinal, schema, keyColumn));
  }

  /** Reads one file's rows into records of the schema, or dead letters naming the column. */
  static final class ReadFileFn extends DoFn<Integer, Record> {
    private static final long serialVersionUID = 1L;
    private final Format format;
    private final List<String> files;
    private final String source;
    private final int ordinal;
    private final Schema schema;
    private final String keyColumn;

    ReadFileFn(Format format, List<String> files, String source, int ordinal, Schema schema, String keyColumn) {
      this.format = format;
      this.files = files;
      this.source = source;
      this.ordinal = ordinal;
      this.schema = schema;
      this.keyColumn = keyColumn;
    }

    @ProcessElement
    public void process(@Element Integer fileIndex, MultiOutputReceiver out) throws IOException {
      String file = files.get(fileIndex);
      long n = 0;
      try (Format.Rows rows = format.open(file, source)) {
        Fields.Field[] columns = rows.fields().bind(schema, file, source);
        Fields.Field key = keyColumn == null ? null : rows.fields().key(keyColumn, file, source);
        List<Fields.Field> read = new ArrayList<>(List.of(columns));
        if (key != null) {
          read.add(key);
        }
        rows.select(read);
        while (rows.next()) {
          n++;
          long line = n;
          if (key != null) {
            Object k = rows.get(key.position());
            line = k == null ? -1 : ((Number) k).longValue();
            if (line < 0 || line >= (1L << 40)) {
              out.get(REJECTED).output(new Rejected(source, file, n, "keyColumn '" + keyColumn + "': " + k
                  + " is not a row id (a whole number from 0 to 2^40 - 1); the line is the row's position", rows.describe()));
              continue;
            }
          }
          row(rows, columns, RecordIds.of(ordinal, fileIndex, line), file, line, out);
        }
      }
    }

    private void row(Format.Rows rows, Fields.Field[] columns, long id, String file, long line, MultiOutputReceiver out) {
      double[] numbers = new double[schema.numericCount()];
      String[] texts = new String[schema.textCount()];
      for (int i = 0; i < columns.length; i++) {
        Column c = schema.columns().get(i);
        Object v = rows.get(columns[i].position());
        if (c.type() == ColumnType.NUMERIC) {
          try {
            numbers[schema.slotAt(i)] = Values.number(v);
          } catch (NumberFormatException e) {
            out.get(REJECTED).output(new Rejected(source, file, line, "column '" + c.name() + "': '" + v + "' is not a number", rows.describe()));
            return;
          }
        } else {
          texts[schema.slotAt(i)] = Values.text(v);
        }
      }
      out.get(RECORDS).output(new Record(id, numbers, texts, null));
    }
  }
}
