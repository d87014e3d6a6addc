package dev.beamline.plugins.libsvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.StageFactory;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.testkit.SourceContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LibSvmSourceTest extends SourceContract {
  private static final Path DATASETS = Path.of(System.getProperty("beamline.datasets", "../../../shared/datasets"));

  @Override
  protected BeamlinePlugin plugin() {
    return new LibSvmPlugin();
  }

  @Override
  protected SourceFactory source() {
    return new LibSvmPlugin();
  }

  @Override
  protected Map<String, Object> requiredValues(StageFactory stage) {
    return Map.of("path", "x.svm");
  }

  private Input write(Path dir, String text, int good, int bad) throws IOException {
    Path file = dir.resolve("data.svm");
    Files.writeString(file, text);
    return new Input(Map.of("path", file.toString()), good, bad);
  }

  @Override
  protected Input smallInput(Path dir) throws IOException {
    return write(dir, "1 0:1.5 3:2\n0 2:1\n\n1 3:0.5 1:4\n", 3, 0);
  }

  @Override
  protected Input emptyInput(Path dir) throws IOException {
    return write(dir, "", 0, 0);
  }

  @Override
  protected Input malformedInput(Path dir) throws IOException {
    return write(dir, "1 0:1\nx 1:1\n0 1:a\n1 2:1 2:3\n0 1:1\n", 2, 3);
  }

  @Test
  void parsesLabelsAndSparseFeaturesSortingIndices() throws IOException {
    Read read = read(smallInput(dir));
    List<Record> rows = read.records().stream().sorted(Comparator.comparingLong(Record::id)).toList();
    assertEquals(1.0, rows.get(0).numbers()[0]);
    assertArrayEquals(new int[] {0, 3}, rows.get(0).sparse()[0].indices());
    assertArrayEquals(new int[] {1, 3}, rows.get(2).sparse()[0].indices(), "indices out of order are sorted");
    assertArrayEquals(new float[] {4f, 0.5f}, rows.get(2).sparse()[0].values());
  }

  @Test
  void malformedLinesNameTheirProblem() throws IOException {
    List<Rejected> rejected = read(malformedInput(dir)).rejected().stream().sorted(Comparator.comparingLong(Rejected::line)).toList();
    assertEquals(List.of(2L, 3L, 4L), rejected.stream().map(Rejected::line).toList());
    assertTrue(rejected.get(0).reason().contains("label 'x'"), rejected.get(0).reason());
    assertTrue(rejected.get(1).reason().contains("'1:a'"), rejected.get(1).reason());
    assertTrue(rejected.get(2).reason().contains("index 2 appears twice"), rejected.get(2).reason());
  }

  @Test
  void indexBeyondTheDimensionIsRejectedNotDropped() throws IOException {
    Input input = write(dir, "1 0:1\n0 9:1\n", 1, 1);
    Map<String, Object> config = Map.of("path", input.config().get("path"), "dimension", 5);
    Read read = read(new Input(config, 1, 1));
    assertEquals(1, read.records().size());
    assertTrue(read.rejected().get(0).reason().contains("beyond the dimension 5"), read.rejected().get(0).reason());
  }

  @Test
  void readsXgboostsAgaricusDemoData() throws IOException {
    Path train = DATASETS.resolve("agaricus/agaricus.txt.train").toAbsolutePath();
    Input input = new Input(Map.of("path", train.toString()), 6513, 0);
    SourceStage stage = source().create(source().configSpec().validate("test", input.config()), new SourceContext("test", 0, dir, "t.yaml"));
    Schema schema = stage.inferSchema(0).orElseThrow();
    assertEquals(127, schema.find("features").orElseThrow().dimension(), "indices 1..126");
    Read read = read(input);
    assertEquals(6513, read.records().size());
    assertEquals(3140, read.records().stream().filter(r -> r.numbers()[0] == 1.0).count(), "positives in agaricus.txt.train");
  }
}
