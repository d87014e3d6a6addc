package dev.beamline.plugins.parquet;

import dev.beamline.spi.beam.InputFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/** The file formats: a file's fields, and its rows in the file's order. */
enum Format {
  /** Apache Parquet: row group by row group, only the columns selected decoded. */
  PARQUET("parquet") {
    @Override
    Rows open(String file, String source) throws IOException {
      ParquetFileReader reader;
      MessageType all;
      try {
        reader = ParquetFileReader.open(local(file, source));
        all = reader.getFooter().getFileMetaData().getSchema();
      } catch (RuntimeException | IOException e) {
        throw new IOException("source '" + source + "': " + file + " is not a Parquet file (" + e.getMessage() + ")", e);
      }
      Fields fields = ParquetFields.of(all);
      return new Rows() {
        private MessageType schema;
        private int[] projected; // a field's position in the projection, by its position in the file
        private RecordReader<Group> rows;
        private long left;
        private Group row;

        @Override
        public Fields fields() {
          return fields;
        }

        @Override
        public void select(List<Fields.Field> read) {
          List<Type> columns = new ArrayList<>();
          projected = new int[all.getFieldCount()];
          Arrays.fill(projected, -1);
          for (Fields.Field f : read) {
            if (projected[f.position()] < 0) {
              projected[f.position()] = columns.size();
              columns.add(all.getType(f.position()));
            }
          }
          schema = new MessageType(all.getName(), columns);
          reader.setRequestedSchema(schema);
        }

        @Override
        public boolean next() throws IOException {
          while (left == 0) {
            PageReadStore group = reader.readNextRowGroup();
            if (group == null) {
              return false;
            }
            rows = new ColumnIOFactory().getColumnIO(schema).getRecordReader(group, new GroupRecordConverter(schema));
            left = group.getRowCount();
          }
          left--;
          row = rows.read();
          return true;
        }

        @Override
        public Object get(int position) {
          int i = projected[position];
          return ParquetFields.value(row, i, schema.getType(i));
        }

        @Override
        public String describe() {
          return row.toString().strip().replace('\n', ' ');
        }

        @Override
        public void close() throws IOException {
          reader.close();
        }
      };
    }
  },
  /** Apache Avro object container files, streamed through Beam's file systems. */
  AVRO("avro") {
    @Override
    Rows open(String file, String source) throws IOException {
      DataFileStream<GenericRecord> stream;
      try {
        stream = new DataFileStream<>(Channels.newInputStream(InputFiles.open(file, source)), new GenericDatumReader<>());
      } catch (IOException e) {
        throw new IOException("source '" + source + "': " + file + " is not an Avro data file (" + e.getMessage() + ")", e);
      }
      Fields fields = AvroFields.of(stream.getSchema());
      return new Rows() {
        private GenericRecord row;

        @Override
        public Fields fields() {
          return fields;
        }

        @Override
        public boolean next() throws IOException {
          if (!stream.hasNext()) {
            return false;
          }
          row = stream.next(row);
          return true;
        }

        @Override
        public Object get(int position) {
          Schema.Field f = row.getSchema().getFields().get(position);
          return AvroFields.value(row.get(position), f.schema());
        }

        @Override
        public String describe() {
          return row.toString();
        }

        @Override
        public void close() throws IOException {
          stream.close();
        }
      };
    }
  };

  final String id;

  Format(String id) {
    this.id = id;
  }

  /** The file's own fields (its schema, read from the file's head or footer). */
  Fields fields(String file, String source) throws IOException {
    try (Rows rows = open(file, source)) {
      return rows.fields();
    }
  }

  /** The file opened: its fields, then its rows in order. */
  abstract Rows open(String file, String source) throws IOException;

  /** A file's fields and its rows one by one. */
  interface Rows extends Closeable {
    /** The file's own fields. */
    Fields fields();

    /** The fields {@link #get} will be asked for (a Parquet file decodes only those); called once, before {@link #next}. */
    default void select(List<Fields.Field> read) {}

    /** Moves to the next row; false after the last. */
    boolean next() throws IOException;

    /** The value of the field at a position (of the file's fields) in the current row, as {@link Values} takes it. */
    Object get(int position);

    /** The current row as text, for its dead letter. */
    String describe();
  }

  /** A Parquet file on this machine's file system (Parquet reads at offsets; the Avro reader streams any Beam file). */
  private static InputFile local(String file, String source) throws IOException {
    Path p = Path.of(file.startsWith("file://") ? file.substring(7) : file);
    if (!Files.isRegularFile(p)) {
      InputFiles.open(file, source).close(); // the host's message for a missing file, or a remote one
      throw new IOException("source '" + source + "': " + file + " is not a local file; the parquet source reads files on the workers' "
          + "file system");
    }
    return new LocalInputFile(p);
  }
}
