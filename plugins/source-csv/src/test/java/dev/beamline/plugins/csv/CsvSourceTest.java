package dev.beamline.plugins.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.StageFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.testkit.SourceContract;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import de.siegmar.fastcsv.reader.CsvReader;
import org.junit.jupiter.api.Test;

class CsvSourceTest extends SourceContract {
  private static final Path DATASETS = Path.of(System.getProperty("beamline.datasets", "../../../shared/datasets"));

  @Override
  protected BeamlinePlugin plugin() {
    return new CsvPlugin();
  }

  @Override
  protected SourceFactory source() {
    return new CsvPlugin();
  }

  @Override
  protected Map<String, Object> requiredValues(StageFactory stage) {
    return Map.of("path", "x.csv");
  }

  private Input write(Path dir, String text, int good, int bad) throws IOException {
    Path file = dir.resolve("data.csv");
    Files.writeString(file, text);
    return new Input(Map.of("path", file.toString()), good, bad);
  }

  @Override
  protected Input smallInput(Path dir) throws IOException {
    return write(dir, "a,b,name\n1,2.5,x\n3,?,\"y, z\"\n\n5,6,\n", 3, 0);
  }

  @Override
  protected Input emptyInput(Path dir) throws IOException {
    return write(dir, "a,b,name\n", 0, 0);
  }

  @Override
  protected Input malformedInput(Path dir) throws IOException {
    return write(dir, "a,b,name\n1,2,x\n1,2\nabc,2,y\n4,5,z,extra\n6,7,w\n", 2, 3);
  }

  @Override
  protected Schema schema(SourceStage stage) {
    return new Schema(List.of(Column.numeric("a"), Column.numeric("b"), Column.categorical("name")));
  }

  private Read readWith(Map<String, Object> config, Schema schema) throws IOException {
    return read(new Input(config, 0, 0), schema);
  }

  @Test
  void parsesTypesMissingTokensAndQuotes() throws IOException {
    Read read = read(smallInput(dir));
    List<Record> rows = read.records().stream().sorted(Comparator.comparingLong(Record::id)).toList();
    assertEquals(1.0, rows.get(0).numbers()[0]);
    assertEquals(2.5, rows.get(0).numbers()[1]);
    assertEquals("x", rows.get(0).texts()[0]);
    assertTrue(Double.isNaN(rows.get(1).numbers()[1]), "'?' is missing");
    assertEquals("y, z", rows.get(1).texts()[0]);
    assertEquals(null, rows.get(2).texts()[0], "empty is missing");
  }

  @Test
  void rejectedRowsNameFileLineAndColumn() throws IOException {
    Read read = read(malformedInput(dir));
    List<Rejected> rejected = read.rejected().stream().sorted(Comparator.comparingLong(Rejected::line)).toList();
    assertEquals(List.of(3L, 4L, 5L), rejected.stream().map(Rejected::line).toList());
    assertEquals("expected 3 fields, found 2", rejected.get(0).reason());
    assertTrue(rejected.get(1).reason().startsWith("column 'a' (field 1): 'abc' is not a number"), rejected.get(1).reason());
    assertEquals("expected 3 fields, found 4", rejected.get(2).reason());
    assertTrue(rejected.get(0).file().endsWith("data.csv"));
  }

  @Test
  void headerWithoutASchemaColumnIsAnErrorNamingFileAndColumn() throws IOException {
    Input input = smallInput(dir);
    Schema schema = new Schema(List.of(Column.numeric("a"), Column.numeric("missing_col")));
    SourceStage stage = source().create(source().configSpec().validate("test", input.config()), new SourceContext("test", 0, dir, "t.yaml"));
    ConfigException e = assertThrows(ConfigException.class, () -> stage.checkSchema(schema));
    assertTrue(e.getMessage().contains("data.csv:1") && e.getMessage().contains("'missing_col'"), e.getMessage());
  }

  @Test
  void infersNumericAndCategoricalColumns() throws IOException {
    Input input = smallInput(dir);
    SourceStage stage = source().create(source().configSpec().validate("test", input.config()), new SourceContext("test", 0, dir, "t.yaml"));
    Schema schema = stage.inferSchema(100).orElseThrow();
    assertEquals(List.of(ColumnType.NUMERIC, ColumnType.NUMERIC, ColumnType.CATEGORICAL),
        schema.columns().stream().map(Column::type).toList());
  }

  @Test
  void skipLinesAndNoHeaderReadPositionally() throws IOException {
    Files.writeString(dir.resolve("t.csv"), "|junk line\n1, a\n2, b\n");
    Map<String, Object> config = Map.of("path", dir.resolve("t.csv").toString(), "header", "none", "skipLines", 1);
    Read read = readWith(config, new Schema(List.of(Column.numeric("n"), Column.categorical("s"))));
    assertEquals(2, read.records().size());
    assertTrue(read.records().stream().anyMatch(r -> "a".equals(r.texts()[0])), "values are trimmed");
    assertTrue(read.records().stream().allMatch(r -> r.id() % (1L << 40) >= 2), "line numbers count the skipped line");
  }

  @Test
  void replaceReadsValuesAsOthersBeforeTheMissingCheck() throws IOException {
    Files.writeString(dir.resolve("t.csv"), "n,s\n1,>50K.\n-1,<=50K\n2,>50K\n");
    Map<String, Object> config = Map.of("path", dir.resolve("t.csv").toString(),
        "replace", Map.of("s", Map.of(">50K.", ">50K"), "n", java.util.Collections.singletonMap("-1", null)));
    Read read = readWith(config, new Schema(List.of(Column.numeric("n"), Column.categorical("s"))));
    List<Record> rows = read.records().stream().sorted(Comparator.comparingLong(Record::id)).toList();
    assertEquals(List.of(">50K", "<=50K", ">50K"), rows.stream().map(r -> r.texts()[0]).toList());
    assertTrue(Double.isNaN(rows.get(1).numbers()[0]), "-1 replaced by null is missing");
    assertEquals(0, read.rejected().size());

    // A column the read leaves out (a scoring input without its label) keeps its replacements aside.
    Read partial = readWith(config, new Schema(List.of(Column.numeric("n"))));
    assertEquals(3, partial.records().size());
  }

  @Test
  void aFileReadByPositionWhoseRowsHaveAnotherWidthIsAnErrorNamingFileAndLine() throws IOException {
    Files.writeString(dir.resolve("t.csv"), "|junk line\n1, a\n2, b\n");
    Map<String, Object> config = Map.of("path", dir.resolve("t.csv").toString(), "header", "none", "skipLines", 1);
    SourceStage stage = source().create(source().configSpec().validate("test", config), new SourceContext("test", 0, dir, "t.yaml"));
    stage.checkSchema(new Schema(List.of(Column.numeric("n"), Column.categorical("s"))));
    ConfigException e = assertThrows(ConfigException.class,
        () -> stage.checkSchema(new Schema(List.of(Column.numeric("n"), Column.categorical("s"), Column.numeric("label")))));
    assertTrue(e.getMessage().contains("t.csv:2: the rows have 2 fields but the schema has 3 columns [n, s, label]"), e.getMessage());
    Files.writeString(dir.resolve("t.csv"), "|junk line\n1\n2, b\n");
    stage.checkSchema(new Schema(List.of(Column.numeric("n"), Column.categorical("s")))); // one bad row is a dead letter, not a wrong schema
  }

  @Test
  void spacesAroundValuesAndQuotesAreTrimmed() throws IOException {
    Files.writeString(dir.resolve("t.csv"), "n,s\n1, cat\n2,cat \n3, \"dog, big\" \n4,\" dog \"\n");
    Read read = readWith(Map.of("path", dir.resolve("t.csv").toString()), new Schema(List.of(Column.numeric("n"), Column.categorical("s"))));
    List<Record> rows = read.records().stream().sorted(Comparator.comparingLong(Record::id)).toList();
    assertEquals(List.of("cat", "cat", "dog, big", "dog"), rows.stream().map(r -> r.texts()[0]).toList());
    assertEquals(0, read.rejected().size());
  }

  @Test
  void brokenQuotingStopsTheReadNamingFileAndLine() throws IOException {
    Files.writeString(dir.resolve("t.csv"), "n,s\n1,a\n2,\"b\"c\n3,d\n");
    Schema schema = new Schema(List.of(Column.numeric("n"), Column.categorical("s")));
    Exception e = assertThrows(Exception.class, () -> readWith(Map.of("path", dir.resolve("t.csv").toString()), schema));
    Throwable t = e;
    while (!(t instanceof ConfigException) && t.getCause() != null) {
      t = t.getCause();
    }
    assertTrue(t instanceof ConfigException && t.getMessage().contains("t.csv:3: the CSV structure is broken"), String.valueOf(t));
  }

  @Test
  void plainDecimalsAreReadExactlyAsDoubleParseDoubleReadsThem() {
    java.util.Random r = new java.util.Random(9);
    List<String> texts = new java.util.ArrayList<>(List.of("0", "-0", "+0", "007", "1.", ".5", "-.5", "0.1", "0.3", "2.675",
        "123456789012345", "1234567890123456", "9007199254740993", "0.000000000000000000001", "1e5", "1.5E-3", ".", "-", "+",
        "1.2.3", "12a", "1d", "0x10", "99999.99999", "4.35", "1.0000000000000002", "-123.456e2"));
    for (int i = 0; i < 200_000; i++) {
      StringBuilder b = new StringBuilder();
      if (r.nextInt(4) == 0) {
        b.append(r.nextBoolean() ? '-' : '+');
      }
      int whole = r.nextInt(12);
      for (int k = 0; k < whole; k++) {
        b.append((char) ('0' + r.nextInt(10)));
      }
      if (r.nextBoolean()) {
        b.append('.');
        int frac = r.nextInt(25);
        for (int k = 0; k < frac; k++) {
          b.append((char) ('0' + r.nextInt(10)));
        }
      }
      texts.add(b.toString());
    }
    int fast = 0;
    for (String t : texts) {
      double expected;
      try {
        expected = Double.parseDouble(t);
        expected = Double.isInfinite(expected) ? Double.NaN : expected;
      } catch (NumberFormatException e) {
        expected = Double.NaN;
      }
      if (t.isEmpty() || !(Character.isDigit(t.charAt(0)) || "+-.".indexOf(t.charAt(0)) >= 0)) {
        expected = Double.NaN;
      }
      assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(CsvRowParser.parseNumber(t)), "'" + t + "'");
      fast += Double.isNaN(CsvRowParser.parseSimpleDecimal(t.isEmpty() ? "x" : t)) ? 0 : 1;
    }
    assertTrue(fast > 50_000, "most plain decimals take the fast path: " + fast);
  }

  @Test
  void commentLinesAreSkippedAndCounted() throws IOException {
    Files.writeString(dir.resolve("t.csv"), "n,s\n# a note\n1,a\nx,b\n");
    Read read = readWith(Map.of("path", dir.resolve("t.csv").toString(), "comment", "#"),
        new Schema(List.of(Column.numeric("n"), Column.categorical("s"))));
    assertEquals(1, read.records().size());
    assertEquals(List.of(4L), read.rejected().stream().map(Rejected::line).toList());
  }

  /** A row as the source's reader makes it (trimming). */
  private static CsvRow row(String line) throws IOException {
    try (CsvReader<CsvRow> rows = CsvReader.builder().trimWhitespacesAroundQuotes(true).build(new CsvRow.Handler(true),
        new StringReader(line))) {
      return rows.iterator().next();
    }
  }

  /** Trimming cuts what String.trim cuts (every character up to a space) from both ends, quoted values too, and nothing inside. */
  @Test
  void theReaderTrimsFieldsAsStringTrimDoes() throws IOException {
    CsvRow r = row(" a , \tb\t, \" c d \" ,,  ");
    assertEquals(List.of("a", "b", "c d", "", ""), r.fieldList());
    assertEquals(1, r.startingLineNumber());
    try (CsvReader<CsvRow> rows = CsvReader.builder().build(new CsvRow.Handler(false), new StringReader(" a ,b"))) {
      assertEquals(List.of(" a ", "b"), rows.iterator().next().fieldList(), "untrimmed when the source does not trim");
    }
  }

  @Test
  void aFieldsRepeatedValuesShareOneStringUntilItHasTooManyDistinctOnes() throws IOException {
    StringBuilder text = new StringBuilder("a,x0\nb,x0\na,x1\n");
    for (int i = 2; i <= CsvRow.FieldValues.LIMIT + 1; i++) {
      text.append("a,x").append(i).append('\n');
    }
    text.append("a,x0\n");
    List<CsvRow> rows = new ArrayList<>();
    try (CsvReader<CsvRow> reader = CsvReader.builder().build(new CsvRow.Handler(true), new StringReader(text.toString()))) {
      reader.forEach(rows::add);
    }
    assertSame(rows.get(0).field(0), rows.get(2).field(0), "a repeated value is one String");
    assertSame(rows.get(0).field(1), rows.get(1).field(1), "per field, in its own table");
    CsvRow last = rows.get(rows.size() - 1);
    assertEquals("x0", last.field(1));
    assertNotSame(rows.get(0).field(1), last.field(1), "past the limit a field's values are made anew");
    assertSame(rows.get(0).field(0), last.field(0), "a field of few values stays shared");
  }

  @Test
  void missingFileIsAConfigError() {
    ConfigException e = assertThrows(ConfigException.class, () -> source().create(
        source().configSpec().validate("test", Map.of("path", "nope.csv")), new SourceContext("train", 0, dir, "p.yaml")));
    assertTrue(e.getMessage().contains("sources.train.path") && e.getMessage().contains("nope.csv"), e.getMessage());
  }

  @Test
  void readsTheRealAdultTrainingFile() throws IOException {
    Path adult = DATASETS.resolve("adult/adult.data").toAbsolutePath();
    Map<String, Object> config = Map.of("path", adult.toString(), "header", "skip");
    Schema inferred = new CsvSource(List.of(adult.toString()), CsvOptions.from(
        source().configSpec().validate("t", Map.of("path", adult.toString(), "header", "use")), "t"),
        new SourceContext("test", 0, dir, "t.yaml")).inferSchema(0).orElseThrow();
    assertEquals(15, inferred.columns().size());
    assertEquals(ColumnType.NUMERIC, inferred.columns().get(0).type());
    assertEquals(ColumnType.CATEGORICAL, inferred.columns().get(1).type(), "workclass has '?' and words");
    Read read = readWith(config, inferred);
    assertEquals(32561, read.records().size(), "adult.data has 32,561 rows");
    assertEquals(0, read.rejected().size());
    long missingWorkclass = read.records().stream().filter(r -> r.texts()[inferred.slot("workclass")] == null).count();
    assertEquals(1836, missingWorkclass, "adult.data has 1,836 '?' in workclass");
  }

  @Test
  void chunkedReadsGiveTheSameRowsAndLineNumbersAsWholeFileReads() throws IOException {
    StringBuilder text = new StringBuilder("name,b,a\n");
    for (int i = 1; i <= 600; i++) {
      text.append(i == 437 ? "bad" : "row " + "x".repeat(i % 13)).append(',').append(i * 0.5).append(',')
          .append(i == 437 ? "oops" : String.valueOf(i)).append('\n');
      if (i % 100 == 0) {
        text.append('\n');
      }
    }
    Path file = dir.resolve("big.csv");
    Files.writeString(file, text);
    Schema schema = new Schema(List.of(Column.numeric("a"), Column.numeric("b"), Column.categorical("name")));
    Read chunked = read(new Input(Map.of("path", file.toString(), "chunkBytes", 1024), 0, 0), schema);
    Read whole = read(new Input(Map.of("path", file.toString(), "multilineValues", true), 0, 0), schema);
    assertEquals(599, chunked.records().size());
    assertEquals(Set.copyOf(whole.records()), Set.copyOf(chunked.records()), "same rows, same ids");
    assertEquals(1, chunked.rejected().size());
    // Line 1 is the header, row i is on line i + 1 plus one blank line per hundred rows before it.
    assertEquals(437 + 1 + 4, chunked.rejected().get(0).line());
    assertEquals(whole.rejected(), chunked.rejected());
  }

  @Test
  void multilineValuesAreReadWhole() throws IOException {
    Files.writeString(dir.resolve("m.csv"), "a,b,name\n1,2,\"two\nlines\"\n3,4,z\n");
    Read read = read(new Input(Map.of("path", dir.resolve("m.csv").toString(), "multilineValues", true), 0, 0));
    assertEquals(2, read.records().size());
    assertTrue(read.records().stream().anyMatch(r -> "two\nlines".equals(r.texts()[0])));
  }
}
