package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.data.Record;
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
