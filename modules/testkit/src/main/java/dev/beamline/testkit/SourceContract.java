package dev.beamline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of a source plugin: reads a small input exactly, an empty input as nothing, sends malformed
 * rows to the dead-letter output with file, line and reason, gives the same rows and ids every time, and
 * its read transform survives Java serialization (as it must to reach workers).
 */
public abstract class SourceContract extends PluginContract {
  /** A test input: the source's configuration values and what reading it must give. */
  public record Input(Map<String, Object> config, int goodRows, int rejectedRows) {}

  @TempDir
  protected Path dir;

  /** The source under test. */
  protected abstract SourceFactory source();

  /** Writes a small well-formed input into {@code dir}. */
  protected abstract Input smallInput(Path dir) throws IOException;

  /** Writes an input with no rows into {@code dir}. */
  protected abstract Input emptyInput(Path dir) throws IOException;

  /** Writes an input with good and malformed rows into {@code dir}. */
  protected abstract Input malformedInput(Path dir) throws IOException;

  /** The schema to read an input with; by default the one the source infers. */
  protected Schema schema(SourceStage stage) throws IOException {
    return stage.inferSchema(0).orElseThrow(() -> new AssertionError("the source infers no schema; override schema()"));
  }

  /** What a read gave. */
  protected record Read(List<Record> records, List<Rejected> rejected) {}

  /** Creates the source for an input and reads it on a checking DirectRunner pipeline. */
  protected Read read(Input input) throws IOException {
    return read(input, null);
  }

  /** Reads an input with the given schema ({@code null}: {@link #schema(SourceStage)}). */
  protected Read read(Input input, Schema given) throws IOException {
    SourceStage stage = source().create(source().configSpec().validate("test", input.config()),
        new SourceContext("test", 0, dir, "test.yaml"));
    Schema schema = given == null ? schema(stage) : given;
    stage.checkSchema(schema);
    Pipeline p = TestPipelines.create();
    PCollectionTuple out = p.apply(stage.read(schema));
    TestPipelines.Sink<Record> records = TestPipelines.collectRows(out);
    TestPipelines.Sink<Rejected> rejected = TestPipelines.collect(out.get(SourceStage.REJECTED));
    p.run().waitUntilFinish();
    return new Read(records.get(), rejected.get());
  }

  @Test
  public void readsSmallInputExactly() throws IOException {
    Input input = smallInput(dir);
    Read read = read(input);
    assertEquals(input.goodRows(), read.records().size(), "records");
    assertEquals(input.rejectedRows(), read.rejected().size(), "rejected rows: " + read.rejected());
    Set<Long> ids = new HashSet<>();
    read.records().forEach(r -> assertTrue(ids.add(r.id()), "row id " + r.id() + " is not unique"));
  }

  @Test
  public void readsEmptyInputAsNothing() throws IOException {
    Read read = read(emptyInput(dir));
    assertEquals(0, read.records().size());
    assertEquals(0, read.rejected().size());
  }

  @Test
  public void sendsMalformedRowsToTheDeadLetterOutput() throws IOException {
    Input input = malformedInput(dir);
    Read read = read(input);
    assertEquals(input.goodRows(), read.records().size(), "good rows");
    assertEquals(input.rejectedRows(), read.rejected().size(), "rejected rows");
    assertTrue(input.rejectedRows() > 0, "the malformed input must hold at least one malformed row");
    for (Rejected r : read.rejected()) {
      assertEquals("test", r.source());
      assertFalse(r.file().isBlank(), "no file: " + r);
      assertTrue(r.line() > 0, "no line number: " + r);
      assertFalse(r.reason().isBlank(), "no reason: " + r);
    }
  }

  @Test
  public void givesTheSameRowsAndIdsEveryTime() throws IOException {
    Input input = smallInput(dir);
    assertEquals(Set.copyOf(read(input).records()), Set.copyOf(read(input).records()));
  }

  @Test
  public void readTransformSurvivesSerialization() throws IOException {
    Input input = smallInput(dir);
    SourceStage stage = source().create(source().configSpec().validate("test", input.config()),
        new SourceContext("test", 0, dir, "test.yaml"));
    SerializableUtils.ensureSerializable(stage);
    SerializableUtils.ensureSerializable(stage.read(schema(stage)));
  }
}
