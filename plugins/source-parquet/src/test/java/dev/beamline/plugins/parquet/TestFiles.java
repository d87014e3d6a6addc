package dev.beamline.plugins.parquet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/** Small Parquet and Avro files of people for the sources' tests. */
final class TestFiles {
  private TestFiles() {}

  static final Schema PEOPLE = SchemaBuilder.record("person").fields()
      .optionalInt("age")
      .optionalString("job")
      .optionalString("hours")
      .name("joined").type().optional().type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT)))
      .name("seen").type().optional().type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
      .optionalBoolean("vip")
      .name("tags").type().optional().array().items().stringType()
      .endRecord();

  /** A person: age, job, hours (text), days since 1970 joined, milliseconds since 1970 seen, vip. */
  static GenericRecord person(Integer age, String job, String hours, Integer joined, Long seen, Boolean vip) {
    GenericRecord r = new GenericData.Record(PEOPLE);
    r.put("age", age);
    r.put("job", job);
    r.put("hours", hours);
    r.put("joined", joined);
    r.put("seen", seen);
    r.put("vip", vip);
    return r;
  }

  /** Writes the records as a file of the format; Parquet in row groups of {@code rowGroupBytes} (0: the default). */
  static Path write(Format format, Path file, List<GenericRecord> records) throws IOException {
    Files.deleteIfExists(file);
    if (format == Format.AVRO) {
      try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(PEOPLE))) {
        w.create(PEOPLE, file.toFile());
        for (GenericRecord r : records) {
          w.append(r);
        }
      }
    } else {
      try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file)).withSchema(PEOPLE)
          .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
        for (GenericRecord r : records) {
          w.write(r);
        }
      }
    }
    return file;
  }
}
