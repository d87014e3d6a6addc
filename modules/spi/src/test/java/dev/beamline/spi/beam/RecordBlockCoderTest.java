package dev.beamline.spi.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.SparseVector;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class RecordBlockCoderTest {
  @Test
  void blocksRoundTripRowForRow() throws Exception {
    List<Record> rows = new ArrayList<>();
    rows.add(new Record(3, new double[] {1.5, Double.NaN}, new String[] {"a", null}, null));
    rows.add(new Record(1L << 41, new double[] {-2, 0}, new String[] {"", "é"}, null));
    for (RecordBlock b : List.of(new RecordBlock(rows), new RecordBlock(List.of()))) {
      RecordBlock back = CoderUtils.clone(RecordBlockCoder.of(), b);
      assertEquals(b, back);
    }
  }

  @Test
  void columnsKeepEveryValueAndEachDistinctTextOnce() throws Exception {
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      rows.add(new Record(i * 7L, new double[] {i, i % 3 == 0 ? Double.NaN : -i / 8.0},
          new String[] {i % 2 == 0 ? "even" : new String("odd"), i % 5 == 0 ? null : "c" + (i % 4)},
          new SparseVector[] {new SparseVector(new int[] {i % 10}, new float[] {i})}));
    }
    RecordBlock block = new RecordBlock(rows);
    assertEquals(rows, block.rows());
    assertEquals(rows.get(999).id(), block.id(999));
    RecordBlock back = CoderUtils.clone(RecordBlockCoder.of(), block);
    assertEquals(rows, back.rows());
    assertSame(back.row(1).texts()[0], back.row(3).texts()[0], "a repeated text decodes to one String");
  }

  @Test
  void aSelectionHasTheChosenRowsInTheirOrder() throws Exception {
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(new Record(i, new double[] {i}, new String[] {i % 2 == 0 ? "a" : null}, null));
    }
    RecordBlock some = new RecordBlock(rows).select(new int[] {1, 4, 9});
    assertEquals(List.of(rows.get(1), rows.get(4), rows.get(9)), some.rows());
    assertEquals(some.rows(), CoderUtils.clone(RecordBlockCoder.of(), some).rows());
  }

  @Test
  void rowsOfMixedLayoutsAreKeptAsTheyAre() throws Exception {
    List<Record> rows = List.of(new Record(1, new double[] {1}, null, null), new Record(2, new double[] {1, 2}, new String[] {"x"}, null));
    RecordBlock block = new RecordBlock(rows);
    assertEquals(rows, block.rows());
    assertEquals(rows, CoderUtils.clone(RecordBlockCoder.of(), block).rows());
  }

  @Test
  void aBlockOfAdultRowsEncodesSmallerThanItsRowsOneByOne() throws Exception {
    String[][] categories = {{"Private", "Self-emp-not-inc", "Local-gov"}, {"Bachelors", "HS-grad", "Masters", "Some-college"},
        {"Married-civ-spouse", "Never-married", "Divorced"}, {"United-States", "Mexico", "Philippines"}};
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < RecordBlock.ROWS; i++) {
      String[] texts = new String[categories.length];
      for (int c = 0; c < texts.length; c++) {
        texts[c] = categories[c][(i * (c + 3)) % categories[c].length];
      }
      rows.add(new Record(i, new double[] {17 + i % 60, 100_000 + i, i % 16, 0, 0, 40}, texts, null));
    }
    int oneByOne = 0;
    for (Record r : rows) {
      oneByOne += CoderUtils.encodeToByteArray(RecordCoder.of(), r).length;
    }
    int columns = CoderUtils.encodeToByteArray(RecordBlockCoder.of(), new RecordBlock(rows)).length;
    assertTrue(columns < 0.75 * oneByOne, columns + " bytes in columns against " + oneByOne + " row by row");
  }

  @Test
  void theBuilderHandsOutFullBlocksAndKeepsTheRest() {
    RecordBlock.Builder builder = new RecordBlock.Builder();
    int full = 0;
    for (int i = 0; i < RecordBlock.ROWS + 5; i++) {
      RecordBlock b = builder.add(new Record(i, new double[0], null, null));
      if (b != null) {
        full++;
        assertEquals(RecordBlock.ROWS, b.size());
        assertEquals(0, b.rows().get(0).id());
      }
    }
    assertEquals(1, full);
    RecordBlock rest = builder.build();
    assertEquals(5, rest.size());
    assertEquals(RecordBlock.ROWS, rest.rows().get(0).id());
    assertEquals(true, builder.isEmpty());
  }
}
