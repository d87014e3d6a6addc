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

  /** A block is encoded once and a decoded block passed on is written from the bytes it came from: the same bytes. */
  @Test
  void aBlockEncodesOnceAndADecodedBlockPassedOnWritesItsOwnBytes() throws Exception {
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new Record(i, new double[] {i, i / 3.0}, new String[] {i % 3 == 0 ? "a" : "b"}, null));
    }
    RecordBlock block = new RecordBlock(rows);
    byte[] first = CoderUtils.encodeToByteArray(RecordBlockCoder.of(), block);
    assertSame(block.encoded, block.encoded);
    byte[] again = CoderUtils.encodeToByteArray(RecordBlockCoder.of(), block);
    assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(again));
    RecordBlock back = CoderUtils.decodeFromByteArray(RecordBlockCoder.of(), first);
    assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(CoderUtils.encodeToByteArray(RecordBlockCoder.of(), back)));
    RecordBlock some = back.select(new int[] {2, 7});
    assertEquals(List.of(rows.get(2), rows.get(7)), CoderUtils.clone(RecordBlockCoder.of(), some).rows(),
        "a selection of a decoded block is encoded from its own rows, not its parent's bytes");
    RecordBlock fresh = new RecordBlock(rows);
    assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(CoderUtils.encodeToByteArray(RecordBlockCoder.of(), fresh)));
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
    assertTrue(columns < 0.25 * oneByOne, columns + " bytes in columns against " + oneByOne + " row by row");
  }

  @Test
  void everyNumberAndIdComesBackBitForBit() throws Exception {
    double[] awkward = {0, -0.0, 1, -1, 0x1p52 - 1, 0x1p52, -0x1p52, 0.5, Double.NaN, Double.longBitsToDouble(0xfff8000000000001L),
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e300, -123456789};
    long[] ids = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1L << 40, 7, 6, Long.MIN_VALUE + 1};
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < awkward.length * 2; i++) {
      // column 0 holds every awkward value; column 1 only whole numbers and NaN, so it goes as integers
      double whole = i % 3 == 0 ? Double.NaN : (i % 2 == 0 ? -i : i) * 1_000_003L;
      rows.add(new Record(ids[i % ids.length], new double[] {awkward[i % awkward.length], whole}, new String[] {"t" + i % 3}, null));
    }
    RecordBlock back = CoderUtils.clone(RecordBlockCoder.of(), new RecordBlock(rows));
    for (int i = 0; i < rows.size(); i++) {
      Record r = rows.get(i);
      assertEquals(r.id(), back.id(i));
      for (int c = 0; c < 2; c++) {
        assertEquals(Double.doubleToRawLongBits(r.numbers()[c]), Double.doubleToRawLongBits(back.row(i).numbers()[c]),
            "row " + i + " column " + c + ": " + r.numbers()[c]);
      }
    }
  }

  @Test
  void blocksWithManyDistinctTextsIndexThemInWiderCells() throws Exception {
    for (int distinct : new int[] {254, 255, 300, 65_534, 65_535, 70_000}) {
      List<Record> rows = new ArrayList<>();
      for (int i = 0; i < distinct + 1; i++) {
        rows.add(new Record(i, new double[0], new String[] {i == distinct ? null : "v" + i, "same"}, null));
      }
      RecordBlock back = CoderUtils.clone(RecordBlockCoder.of(), new RecordBlock(rows));
      assertEquals(rows, back.rows(), distinct + " distinct texts");
    }
  }

  @Test
  void aTruncatedOrUnknownBlockIsACoderExceptionNotAWrongBlock() throws Exception {
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(new Record(i, new double[] {i, i / 3.0}, new String[] {"a" + i % 4}, new SparseVector[] {new SparseVector(new int[] {i}, new float[] {1})}));
    }
    byte[] good = CoderUtils.encodeToByteArray(RecordBlockCoder.of(), new RecordBlock(rows));
    // the body without its last bytes, under a length prefix that matches what is there
    for (int cut : new int[] {1, 5, 40, good.length / 2}) {
      byte[] body = java.util.Arrays.copyOfRange(good, 2, good.length - cut);
      java.io.ByteArrayOutputStream shorter = new java.io.ByteArrayOutputStream();
      org.apache.beam.sdk.util.VarInt.encode(body.length, shorter);
      shorter.write(body);
      org.junit.jupiter.api.Assertions.assertThrows(org.apache.beam.sdk.coders.CoderException.class,
          () -> CoderUtils.decodeFromByteArray(RecordBlockCoder.of(), shorter.toByteArray()), "cut " + cut);
    }
    byte[] unknown = good.clone();
    unknown[2] = 9;
    org.junit.jupiter.api.Assertions.assertThrows(org.apache.beam.sdk.coders.CoderException.class,
        () -> CoderUtils.decodeFromByteArray(RecordBlockCoder.of(), unknown));
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
