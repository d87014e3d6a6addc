package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.ValueSource;

/** The adult-income pipeline read from other formats than CSV gives the CSV pipeline's model and metrics. */
class SourcesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> COLUMNS = AdultRows.COLUMNS;
  static final List<String> NUMERIC = List.of("age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week");

  @TempDir
  Path tmp;

  /**
   * Writes adult's CSV as JSON lines, line for line (the header or skipped line as a blank line, so that every row keeps
   * its line number and so its id): numbers as JSON numbers, "?" as null, adult.test's labels without their final dot.
   */
  static Path toJsonLines(Path csv, Path out, int skipped) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines.size(); i++) {
        Object[] values = i < skipped ? null : typed(lines.get(i));
        if (values == null) {
          w.write("\n");
          continue;
        }
        ObjectNode row = JSON.createObjectNode();
        for (int c = 0; c < values.length; c++) {
          if (values[c] == null) {
            row.putNull(COLUMNS.get(c));
          } else if (values[c] instanceof Double d) {
            row.put(COLUMNS.get(c), d);
          } else {
            row.put(COLUMNS.get(c), (String) values[c]);
          }
        }
        w.write(JSON.writeValueAsString(row));
        w.write("\n");
      }
    }
    return out;
  }

  /**
   * One line of adult's CSV as the pipeline reads it: numbers as doubles, "?" as null, the rest trimmed text,
   * adult.test's labels without their final dot; null for a line that is not a row.
   */
  static Object[] typed(String line) {
    String[] fields = line.split(",", -1);
    if (fields.length != COLUMNS.size()) {
      return null;
    }
    Object[] out = new Object[fields.length];
    for (int c = 0; c < fields.length; c++) {
      String v = fields[c].trim();
      String name = COLUMNS.get(c);
      if (v.equals("?")) {
        out[c] = null;
      } else if (NUMERIC.contains(name)) {
        out[c] = Double.parseDouble(v);
      } else {
        out[c] = name.equals("income") && v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
      }
    }
    return out;
  }

  /**
   * Writes adult's rows as a Parquet file, each with its line number in a {@code line} field (the source's keyColumn,
   * so that every row keeps its id): the CSV's column names, whole numbers as int32, text as UTF-8 strings, "?" as null,
   * labels without adult.test's dot.
   */
  static Path toParquet(Path csv, Path out) throws IOException {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    builder.required(PrimitiveTypeName.INT64).named("line");
    for (String column : COLUMNS) {
      if (NUMERIC.contains(column)) {
        builder.optional(PrimitiveTypeName.INT32).named(column);
      } else {
        builder.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(column);
      }
    }
    MessageType type = builder.named("adult");
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(out)).withType(type)
        .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (Map.Entry<Long, Object[]> row : rows(csv)) {
        Group g = groups.newGroup().append("line", row.getKey());
        for (int c = 0; c < COLUMNS.size(); c++) {
          Object v = row.getValue()[c];
          if (v instanceof Double d) {
            g.append(COLUMNS.get(c), d.intValue());
          } else if (v != null) {
            g.append(COLUMNS.get(c), (String) v);
          }
        }
        w.write(g);
      }
    }
    return out;
  }

  /** Avro's names cannot hold '-': the Avro file's fields are education_num and so on. */
  static String avroName(String column) {
    return column.replace('-', '_');
  }

  /** Writes adult's rows as an Avro data file, like {@link #toParquet}, its fields named by {@link #avroName}. */
  static Path toAvro(Path csv, Path out) throws IOException {
    SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("adult").fields().requiredLong("line");
    for (String column : COLUMNS) {
      fields = NUMERIC.contains(column) ? fields.name(avroName(column)).type().optional().intType()
          : fields.name(avroName(column)).type().optional().stringType();
    }
    Schema schema = fields.endRecord();
    try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
      w.setCodec(CodecFactory.snappyCodec()).create(schema, out.toFile());
      for (Map.Entry<Long, Object[]> row : rows(csv)) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("line", row.getKey());
        for (int c = 0; c < COLUMNS.size(); c++) {
          r.put(c + 1, row.getValue()[c] instanceof Double d ? (Object) d.intValue() : row.getValue()[c]);
        }
        w.append(r);
      }
    }
    return out;
  }

  /** adult's rows by line number ({@link #typed}), the first line (a header or a note) left out. */
  private static List<Map.Entry<Long, Object[]>> rows(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    List<Map.Entry<Long, Object[]>> out = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      Object[] values = typed(lines.get(i));
      if (values != null) {
        out.add(Map.entry((long) i + 1, values));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"parquet", "avro"})
  void adultFromParquetAndAvroGivesTheCsvPipelinesModelAndMetrics(String format) throws IOException {
    boolean avro = format.equals("avro");
    Path data = PipelinesIT.DATASETS.resolve("adult/adult.data");
    Path test = PipelinesIT.DATASETS.resolve("adult/adult.test");
    data = avro ? toAvro(data, tmp.resolve("adult.data.avro")) : toParquet(data, tmp.resolve("adult.data.parquet"));
    test = avro ? toAvro(test, tmp.resolve("adult.test.avro")) : toParquet(test, tmp.resolve("adult.test.parquet"));
    Path csv = PipelinesIT.run(tmp.resolve("csv"), "adult-income", "--set", "report.enabled=false");
    List<String> args = new ArrayList<>(List.of("--set", "report.enabled=false", "--set", "sources={train: {type: " + format + ", path: "
        + data + ", keyColumn: line}, test: {type: " + format + ", path: " + test + ", keyColumn: line}}"));
    if (avro) {
      args.addAll(List.of("--set", "schema.columns=" + PipelinesIT.json(csv.resolve("schema.json")).get("columns").toString().replace("-", "_"),
          "--set", "features.0.columns=[age, fnlwgt, education_num, capital_gain, capital_loss, hours_per_week]",
          "--set", "features.1.columns=[workclass, education, marital_status, occupation, relationship, race, sex, native_country]"));
    }
    Path run = PipelinesIT.run(tmp.resolve(format), "adult-income", args.toArray(String[]::new));
    JsonNode inputs = PipelinesIT.json(run.resolve("run.json")).get("inputs");
    assertEquals(32561, inputs.get(0).get("rowsRead").asInt());
    assertEquals(16281, inputs.get(1).get("rowsRead").asInt());
    CrossRunnerIT.assertSameNumbers(PipelinesIT.json(csv.resolve("metrics.json")), PipelinesIT.json(run.resolve("metrics.json")),
        format + ": metrics.json");
    assertArrayEquals(Files.readAllBytes(csv.resolve("model/model.ubj")), Files.readAllBytes(run.resolve("model/model.ubj")),
        "the same rows with the same ids train the same trees");
  }

  @Test
  void adultFromJsonLinesGivesTheCsvPipelinesModelAndMetrics() throws IOException {
    Path data = toJsonLines(PipelinesIT.DATASETS.resolve("adult/adult.data"), tmp.resolve("adult.data.jsonl"), 1);
    Path test = toJsonLines(PipelinesIT.DATASETS.resolve("adult/adult.test"), tmp.resolve("adult.test.jsonl"), 1);
    Path csv = PipelinesIT.run(tmp.resolve("csv"), "adult-income", "--set", "report.enabled=false");
    Path jsonl = PipelinesIT.run(tmp.resolve("jsonl"), "adult-income", "--set", "report.enabled=false", "--set",
        "sources={train: {type: jsonl, path: " + data + "}, test: {type: jsonl, path: " + test + "}}");
    JsonNode inputs = PipelinesIT.json(jsonl.resolve("run.json")).get("inputs");
    for (int i = 0; i < 2; i++) {
      assertEquals("jsonl", inputs.get(i).get("type").asText(), inputs.toString());
      assertEquals(i == 0 ? 32561 : 16281, inputs.get(i).get("rowsRead").asInt(), "every row read, the blank lines are none");
    }
    JsonNode a = PipelinesIT.json(csv.resolve("metrics.json"));
    JsonNode b = PipelinesIT.json(jsonl.resolve("metrics.json"));
    for (String split : List.of("train", "validation", "test")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = a.get(split).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> m = it.next();
        assertEquals(m.getValue().asDouble(), b.get(split).get(m.getKey()).asDouble(), 1e-9, split + " " + m.getKey());
      }
    }
    assertEquals(a.get("intervals"), b.get("intervals"), "the same row ids, so the same bootstrap replicates");
    assertArrayEquals(Files.readAllBytes(csv.resolve("model/model.ubj")), Files.readAllBytes(jsonl.resolve("model/model.ubj")),
        "the same rows in the same order train the same trees");
  }
}
