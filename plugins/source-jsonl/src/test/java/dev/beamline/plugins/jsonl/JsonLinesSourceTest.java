package dev.beamline.plugins.jsonl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.StageFactory;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.testkit.SourceContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLinesSourceTest extends SourceContract {
  @Override
  protected BeamlinePlugin plugin() {
    return new JsonLinesPlugin();
  }

  @Override
  protected SourceFactory source() {
    return new JsonLinesPlugin();
  }

  @Override
  protected Map<String, Object> requiredValues(StageFactory stage) {
    return Map.of("path", "x.jsonl");
  }

  /** The inputs' declared schema (inference has a test of its own). */
  @Override
  protected Schema schema(SourceStage stage) {
    return new Schema(List.of(Column.numeric("age"), Column.categorical("job"), Column.numeric("hours"), Column.categorical("rich")));
  }

  private Input write(Path dir, String text, int good, int bad) throws IOException {
    Path file = dir.resolve("data.jsonl");
    Files.writeString(file, text);
    return new Input(Map.of("path", file.toString()), good, bad);
  }

  @Override
  protected Input smallInput(Path dir) throws IOException {
    return write(dir, """
        {"age": 39, "job": "State-gov", "hours": 40.5, "rich": false}
        {"age": 50, "job": null, "extra": [1, 2], "rich": true}

        {"job": "Private", "hours": 13, "age": 38, "rich": false}
        """, 3, 0);
  }

  @Override
  protected Input emptyInput(Path dir) throws IOException {
    return write(dir, "", 0, 0);
  }

  @Override
  protected Input malformedInput(Path dir) throws IOException {
    return write(dir, """
        {"age": 39, "job": "State-gov", "hours": 40}
        {"age": "old", "job": "Private", "hours": 40}
        {"age": 40, "job": "Private", "hours":
        [1, 2]
        {"age": 41, "job": {"name": "x"}, "hours": 2}
        {"age": "42", "job": 7, "hours": 1e1}
        """, 2, 4);
  }

  private static SourceContext context(Path dir) {
    return new SourceContext("data", 0, dir, dir.resolve("pipeline.yaml").toString());
  }

  @Test
  void infersNumericAndCategoricalColumnsInTheOrderFirstSeenAndLeavesNestedValuesOut() throws IOException {
    Input input = smallInput(dir);
    var source = new JsonLinesPlugin().create(new JsonLinesPlugin().configSpec().validate("test", input.config()), context(dir));
    Schema schema = source.inferSchema(0).orElseThrow();
    assertEquals(List.of(Column.numeric("age"), Column.categorical("job"), Column.numeric("hours"), Column.categorical("rich")),
        schema.columns(), "booleans are categories; 'extra' holds an array and is no column");
  }

  @Test
  void readsValuesMissingKeysAndNullsAsTheSchemaSays() throws IOException {
    Read read = read(smallInput(dir));
    List<Record> rows = read.records().stream().sorted(java.util.Comparator.comparingLong(Record::id)).toList();
    assertArrayEquals(new double[] {39, 40.5}, rows.get(0).numbers());
    assertArrayEquals(new String[] {"State-gov", "false"}, rows.get(0).texts());
    assertTrue(Double.isNaN(rows.get(1).numbers()[1]), "an absent key is missing");
    assertEquals(null, rows.get(1).texts()[0], "null is missing");
  }

  @Test
  void namesTheLineAndTheReasonOfEachRowItRejects() throws IOException {
    Read read = read(malformedInput(dir));
    Map<Long, String> reasons = new java.util.TreeMap<>();
    read.rejected().forEach(r -> reasons.put(r.line(), r.reason()));
    assertEquals(List.of(2L, 3L, 4L, 5L), List.copyOf(reasons.keySet()));
    assertEquals("column 'age': \"old\" is not a number", reasons.get(2L));
    assertTrue(reasons.get(3L).startsWith("not JSON: "), reasons.get(3L));
    assertEquals("not a JSON object but array", reasons.get(4L));
    assertEquals("column 'job': an object, not a value", reasons.get(5L));
    Record last = read.records().stream().filter(r -> r.numbers()[0] == 42).findFirst().orElseThrow();
    assertArrayEquals(new double[] {42, 10}, last.numbers(), "a decimal string in a numeric column is a number");
    assertEquals("7", last.texts()[0], "a number in a categorical column is its text");
  }
}
