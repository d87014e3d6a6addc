package dev.beamline.plugins.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.testkit.TestPipelines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.beam.sdk.Pipeline;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What both file sources do alike: types from the file's schema, dates as ISO-8601 text, ids by position, clear errors. */
class RecordFilesTest {
  static final Schema DECLARED = new Schema(List.of(Column.numeric("age"), Column.categorical("job"), Column.numeric("hours"),
      Column.categorical("joined"), Column.categorical("seen"), Column.numeric("vip")));

  @TempDir
  Path dir;

  private SourceStage stage(Format format, List<Path> files) {
    return stage(format, Map.of("path", files.stream().map(Path::toString).toList()));
  }

  private SourceStage stage(Format format, Map<String, Object> config) {
    SourceFactory f = new ParquetAvroPlugin().sources().stream().filter(s -> s.id().equals(format.id)).findFirst().orElseThrow();
    return f.create(f.configSpec().validate("sources.train", config), new SourceContext("train", 1, dir, "pipeline.yaml"));
  }

  private record Read(List<Record> records, List<Rejected> rejected) {}

  private static Read read(SourceStage stage, Schema schema) throws Exception {
    stage.checkSchema(schema);
    Pipeline p = TestPipelines.create();
    PCollectionTuple out = p.apply(stage.read(schema));
    TestPipelines.Sink<Record> records = TestPipelines.collect(out.get(SourceStage.RECORDS));
    TestPipelines.Sink<Rejected> rejected = TestPipelines.collect(out.get(SourceStage.REJECTED));
    p.run().waitUntilFinish();
    List<Record> sorted = new ArrayList<>(records.get());
    sorted.sort(Comparator.comparingLong(Record::id));
    return new Read(sorted, rejected.get());
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void theSchemaIsTheFilesOwnAndDatesAreIsoText(Format format) throws Exception {
    Path a = TestFiles.write(format, dir.resolve("a." + format.id), List.of(
        TestFiles.person(39, "State-gov", "40", 19783, 1709296200000L, true), TestFiles.person(null, null, null, null, null, null)));
    Path b = TestFiles.write(format, dir.resolve("b." + format.id), List.of(TestFiles.person(7, "x", "1", 0, 0L, false)));
    SourceStage stage = stage(format, List.of(a, b));
    Schema inferred = stage.inferSchema(0).orElseThrow();
    assertEquals(List.of(Column.numeric("age"), Column.categorical("job"), Column.categorical("hours"), Column.categorical("joined"),
        Column.categorical("seen"), Column.categorical("vip")), inferred.columns(), "the array field is no column");
    Read read = read(stage, inferred);
    assertEquals(List.of(RecordIds.of(1, 0, 1), RecordIds.of(1, 0, 2), RecordIds.of(1, 1, 1)), read.records().stream().map(Record::id).toList(),
        "the n-th record of the f-th file");
    Record first = read.records().get(0);
    assertEquals(39.0, inferred.value(first, "age"));
    assertEquals("2024-03-01", inferred.value(first, "joined"));
    assertEquals("2024-03-01T12:30:00Z", inferred.value(first, "seen"));
    assertEquals("true", inferred.value(first, "vip"));
    assertEquals("40", inferred.value(first, "hours"));
    assertTrue(Double.isNaN((Double) inferred.value(read.records().get(1), "age")), "null is missing");
    assertEquals(null, inferred.value(read.records().get(1), "job"));
    Read declared = read(stage, DECLARED);
    assertEquals(1.0, DECLARED.value(declared.records().get(0), "vip"), "true is 1");
    assertEquals(40.0, DECLARED.value(declared.records().get(0), "hours"), "numeric text is parsed");
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aValueItsColumnCannotTakeIsADeadLetterWithItsPosition(Format format) throws Exception {
    Path a = TestFiles.write(format, dir.resolve("a." + format.id), List.of(TestFiles.person(1, "a", "1", null, null, null),
        TestFiles.person(2, "b", "two", null, null, null)));
    Read read = read(stage(format, List.of(a)), DECLARED);
    assertEquals(1, read.records().size());
    Rejected r = read.rejected().get(0);
    assertEquals(a.toString(), r.file());
    assertEquals(2, r.line(), "the record's position in the file");
    assertEquals("column 'hours': 'two' is not a number", r.reason());
    assertTrue(r.raw().contains(format == Format.AVRO ? "\"hours\": \"two\"" : "hours: two"), r.raw());
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void aMissingFieldAFieldOfAnotherTypeAndAFileOfAnotherFormatAreNamedBeforeTheRun(Format format) throws Exception {
    Path a = TestFiles.write(format, dir.resolve("a." + format.id), List.of(TestFiles.person(1, "a", "1", null, null, null)));
    SourceStage stage = stage(format, List.of(a));
    ConfigException e = assertThrows(ConfigException.class, () -> stage.checkSchema(new Schema(List.of(Column.numeric("salary")))));
    assertEquals("source 'train': " + a + " has no field 'salary' (its fields: age, job, hours, joined, seen, vip, tags)", e.getMessage());
    e = assertThrows(ConfigException.class, () -> stage.checkSchema(new Schema(List.of(Column.numeric("joined")))));
    assertTrue(e.getMessage().startsWith("source 'train': field 'joined' of " + a + " is " + (format == Format.AVRO
        ? "[\"null\",{\"type\":\"int\",\"logicalType\":\"date\"}]" : "optional int32 joined (DATE)")
        + ", which Beamline cannot read as numeric; declare it categorical"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> stage.checkSchema(new Schema(List.of(Column.categorical("tags")))));
    assertTrue(e.getMessage().endsWith("leave it out of the schema (nested, repeated and binary fields are not read)"), e.getMessage());
    Path text = Files.writeString(dir.resolve("text." + format.id), "age,job\n1,a\n");
    java.io.IOException io = assertThrows(java.io.IOException.class, () -> stage(format, List.of(text)).inferSchema(0));
    assertTrue(io.getMessage().startsWith("source 'train': " + text + " is not a" + (format == Format.AVRO ? "n Avro data file" : " Parquet file")),
        io.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void withAKeyColumnTheIdsAreTheKeys(Format format) throws Exception {
    Path a = TestFiles.write(format, dir.resolve("a." + format.id), List.of(TestFiles.person(39, "a", "1", null, null, null),
        TestFiles.person(null, "b", "2", null, null, null), TestFiles.person(7, "c", "3", null, null, null)));
    SourceStage stage = stage(format, Map.of("path", List.of(a.toString()), "keyColumn", "age"));
    Schema inferred = stage.inferSchema(0).orElseThrow();
    assertEquals("job", inferred.columns().get(0).name(), "the key is no column");
    Read read = read(stage, inferred);
    assertEquals(List.of(RecordIds.of(1, 0, 7), RecordIds.of(1, 0, 39)), read.records().stream().map(Record::id).toList());
    assertEquals(2, read.rejected().get(0).line(), "a record without a key: its position");
    assertTrue(read.rejected().get(0).reason().startsWith("keyColumn 'age': null is not a row id"), read.rejected().toString());
    ConfigException e = assertThrows(ConfigException.class, () -> stage(format, Map.of("path", List.of(a.toString()), "keyColumn", "job"))
        .checkSchema(inferred));
    assertTrue(e.getMessage().contains("keyColumn 'job' of " + a + " is ") && e.getMessage().endsWith("; it must be a whole number (a 32- or 64-bit integer)"),
        e.getMessage());
  }

  /** What pandas, Spark and Hive write: names Avro could not hold, INT96 and micro-second timestamps, decimals as ints. */
  @org.junit.jupiter.api.Test
  void parquetColumnsOfAnyNameAndTheirLogicalTypesAreRead() throws Exception {
    MessageType type = Types.buildMessage()
        .optional(PrimitiveTypeName.INT32).named("education-num")
        .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("native country")
        .optional(PrimitiveTypeName.INT96).named("seen")
        .optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.decimalType(2, 9)).named("price")
        .optional(PrimitiveTypeName.INT64).as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS)).named("local")
        .optional(PrimitiveTypeName.BINARY).named("photo")
        .named("pandas");
    Path file = dir.resolve("pandas.parquet");
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file)).withType(type).build()) {
      SimpleGroupFactory groups = new SimpleGroupFactory(type);
      ByteBuffer int96 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(45_000_000_000_000L).putInt(2_460_371);
      w.write(groups.newGroup().append("education-num", 13).append("native country", "United-States")
          .append("seen", Binary.fromConstantByteArray(int96.array())).append("price", 12345).append("local", 1_709_296_200_123_456L));
      w.write(groups.newGroup());
    }
    SourceStage stage = stage(Format.PARQUET, List.of(file));
    Schema inferred = stage.inferSchema(0).orElseThrow();
    assertEquals(List.of(Column.numeric("education-num"), Column.categorical("native country"), Column.categorical("seen"),
        Column.numeric("price"), Column.categorical("local")), inferred.columns(), "plain binary is no column");
    Read read = read(stage, inferred);
    Record r = read.records().get(0);
    assertEquals(13.0, inferred.value(r, "education-num"));
    assertEquals("United-States", inferred.value(r, "native country"));
    assertEquals("2024-03-01T12:30:00Z", inferred.value(r, "seen"), "julian day 2460371, 12.5 hours");
    assertEquals(123.45, inferred.value(r, "price"));
    assertEquals("2024-03-01T12:30:00.123456", inferred.value(r, "local"));
    Record empty = read.records().get(1);
    assertTrue(Double.isNaN((Double) inferred.value(empty, "price")));
    assertEquals(null, inferred.value(empty, "seen"));
  }
}
