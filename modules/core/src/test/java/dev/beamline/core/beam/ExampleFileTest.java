package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.model.FeatureMatrix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleFileTest {
  @TempDir Path dir;

  /** A block whose row for id i has features {i, -i}, label i % 2 and weight i / 10. */
  private static ExampleBlock block(Split split, long... ids) {
    float[] features = new float[ids.length * 2];
    float[] labels = new float[ids.length];
    float[] weights = new float[ids.length];
    for (int r = 0; r < ids.length; r++) {
      features[2 * r] = ids[r];
      features[2 * r + 1] = -ids[r];
      labels[r] = ids[r] % 2;
      weights[r] = ids[r] / 10f;
    }
    return new ExampleBlock(split, 2, ids, features, labels, weights);
  }

  @Test
  void aFileRoundTripsAndIsNamedBySplit() throws IOException {
    ExampleBlock b = block(Split.VALIDATION, 7, 3, 5);
    ExampleFile f = ExampleFile.write(b, dir.toString(), false);
    assertTrue(Files.exists(Path.of(f.path())) && f.path().startsWith(dir.resolve(ExampleFile.DIRECTORY).toString()), f.path());
    assertTrue(Path.of(f.path()).getFileName().toString().startsWith("validation-"), f.path());
    ExampleBlock back = f.read();
    assertEquals(Split.VALIDATION, back.split());
    assertArrayEquals(b.ids(), back.ids());
    assertArrayEquals(b.features(), back.features());
    assertArrayEquals(b.labels(), back.labels());
    assertArrayEquals(b.weights(), back.weights());
    assertArrayEquals(new long[] {7, 3, 5}, f.ids(), "the handle carries the ids");
  }

  @Test
  void keptInputValuesRoundTripWithTheirTypes() throws IOException {
    ExampleBlock b = new ExampleBlock(Split.TEST, 1, new long[] {4, 9}, new float[] {1f, 2f}, new float[] {Float.NaN, 1f},
        new float[] {1f, 1f}, 2, new Object[] {"Private", 38.5, null, "a, \"quoted\" é"});
    ExampleBlock back = ExampleFile.write(b, dir.toString(), false).read();
    assertEquals(2, back.keptWidth());
    assertArrayEquals(b.kept(), back.kept());
    assertTrue(Float.isNaN(back.labels()[0]), "a row without a label keeps NaN");
    assertEquals(38.5, back.kept(0, 1));
    String longText = "x".repeat(70_000) + "é";
    ExampleBlock big = new ExampleBlock(Split.TEST, 1, new long[] {1}, new float[] {1f}, new float[] {1f}, new float[] {1f}, 1,
        new Object[] {longText});
    assertEquals(longText, ExampleFile.write(big, dir.toString(), false).read().kept(0, 0), "a kept text longer than 64 KB");
  }

  @Test
  void takingABlockKeptInMemoryLetsItGo() throws IOException {
    ExampleFile f = ExampleFile.write(block(Split.TEST, 1, 2), dir.resolve("run-t").toString(), true);
    assertEquals(2, f.take().rows());
    assertThrows(IOException.class, f::read, "read once by its last reader, the block is gone");
  }

  @Test
  void aBlockKeptInMemoryIsTheSameObjectUntilItsRunReleasesIt() throws IOException {
    ExampleBlock b = block(Split.TRAIN, 1, 2);
    ExampleFile mine = ExampleFile.write(b, dir.resolve("run-a").toString(), true);
    ExampleFile other = ExampleFile.write(b, dir.resolve("run-b").toString(), true);
    assertTrue(mine.path().startsWith("memory:"), mine.path());
    assertSame(b, mine.read());
    ExampleFile.release(dir.resolve("run-a").toString());
    IOException gone = assertThrows(IOException.class, mine::read);
    assertTrue(gone.getMessage().contains(mine.path()), gone.getMessage());
    assertSame(b, other.read(), "another run's blocks stay");
    ExampleFile.release(dir.resolve("run-b").toString());
  }

  @Test
  void aFileThatDoesNotHoldWhatItsHandleSaysIsAnError() throws IOException {
    ExampleFile f = ExampleFile.write(block(Split.TRAIN, 1, 2), dir.toString(), false);
    ExampleFile wrong = new ExampleFile(Split.TRAIN, f.path(), new long[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, wrong::read);
    assertTrue(e.getMessage().contains("holds 2 train rows, expected 3"), e.getMessage());
  }

  @Test
  void matrixRowsAreOrderedByIdWhateverTheBlockOrder() throws IOException {
    List<ExampleFile> files = new ArrayList<>();
    files.add(ExampleFile.write(block(Split.TRAIN, 20, 21, 22), dir.toString(), false)); // consecutive: copied whole
    files.add(ExampleFile.write(block(Split.TRAIN, 9, 2, 30), dir.toString(), false));   // interleaved: row by row
    files.add(ExampleFile.write(block(Split.TRAIN, 5, 6), dir.toString(), true));
    files.add(ExampleFile.empty(Split.TRAIN));
    FeatureMatrix m = Matrices.byId(files, 2, List.of("a", "b"), true);
    long[] expected = {2, 5, 6, 9, 20, 21, 22, 30};
    assertEquals(expected.length, m.rows());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], m.values()[2 * i], "row " + i);
      assertEquals(-expected[i], m.values()[2 * i + 1], "row " + i);
      assertEquals(expected[i] % 2, m.labels()[i], "row " + i);
      assertEquals(expected[i] / 10f, m.weights()[i], "row " + i);
    }
    ExampleFile.release(dir.toString());
  }

  @Test
  void aRowIdSeenTwiceIsAnError() throws IOException {
    List<ExampleFile> files = List.of(ExampleFile.write(block(Split.TRAIN, 1, 2), dir.toString(), false),
        ExampleFile.write(block(Split.TRAIN, 2, 3), dir.toString(), false));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Matrices.byId(files, 2, List.of("a", "b"), false));
    assertTrue(e.getMessage().contains("row id 2"), e.getMessage());
  }

  /** The rows' first features (their ids), part by part. */
  private static List<List<Float>> partsOf(ExampleRows rows) {
    List<List<Float>> out = new ArrayList<>();
    rows.parts().forEachRemaining(p -> {
      List<Float> ids = new ArrayList<>();
      for (int r = 0; r < p.rows(); r++) {
        ids.add(p.values()[r * p.columns()]);
      }
      out.add(ids);
    });
    return out;
  }

  @Test
  void trainingRowsComeBlockByBlockInIdOrderWhenTheBlocksDoNotInterleave() throws IOException {
    List<ExampleFile> files = List.of(ExampleFile.write(block(Split.TRAIN, 20, 21, 25), dir.toString(), false),
        ExampleFile.empty(Split.TRAIN), ExampleFile.write(block(Split.TRAIN, 3, 7), dir.toString(), true),
        ExampleFile.write(block(Split.TRAIN, 9), dir.toString(), false));
    ExampleRows rows = ExampleRows.of(files, 2, List.of("a", "b"), true);
    assertTrue(rows.byBlock());
    assertEquals(6, rows.rows());
    List<List<Float>> expected = List.of(List.of(3f, 7f), List.of(9f), List.of(20f, 21f, 25f));
    assertEquals(expected, partsOf(rows));
    assertEquals(expected, partsOf(rows), "every pass starts from the first row");
    FeatureMatrix joined = rows.matrix();
    FeatureMatrix byId = Matrices.byId(files, 2, List.of("a", "b"), true);
    assertArrayEquals(byId.values(), joined.values());
    assertArrayEquals(byId.labels(), joined.labels());
    assertArrayEquals(byId.weights(), joined.weights());
    ExampleFile.release(dir.toString());
  }

  @Test
  void trainingRowsWhoseBlocksInterleaveAreJoinedByIdFirst() throws IOException {
    List<ExampleFile> files = List.of(ExampleFile.write(block(Split.TRAIN, 20, 30), dir.toString(), false),
        ExampleFile.write(block(Split.TRAIN, 25), dir.toString(), false));
    ExampleRows rows = ExampleRows.of(files, 2, List.of("a", "b"), false);
    assertTrue(!rows.byBlock());
    assertEquals(List.of(List.of(20f, 25f, 30f)), partsOf(rows));
    List<ExampleFile> twice = List.of(ExampleFile.write(block(Split.TRAIN, 1, 2), dir.toString(), false),
        ExampleFile.write(block(Split.TRAIN, 2, 3), dir.toString(), false));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ExampleRows.of(twice, 2, List.of("a", "b"), false).parts());
    assertTrue(e.getMessage().contains("row id 2"), e.getMessage());
  }
}
