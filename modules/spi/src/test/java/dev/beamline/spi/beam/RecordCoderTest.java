package dev.beamline.spi.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.SparseVector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCoderTest {
  private static final List<Record> RECORDS = List.of(
      new Record(3, new double[] {1.5, Double.NaN, -0.0, Double.MAX_VALUE}, new String[] {"a", null, "", "é 漢字 😀"}, null),
      new Record(1L << 41, new double[0], new String[0], new SparseVector[] {
          new SparseVector(new int[] {0, 7, 126}, new float[] {1, -2.5f, Float.NaN}), new SparseVector(new int[0], new float[0])}),
      new Record(-1, new double[] {42}, new String[] {"x".repeat(70_000)}, null));

  @Test
  void roundTripsRecordsWrittenBackToBack() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Record r : RECORDS) {
      RecordCoder.of().encode(r, bytes);
    }
    InputStream in = new ByteArrayInputStream(bytes.toByteArray());
    for (Record expected : RECORDS) {
      Record got = RecordCoder.of().decode(in);
      assertEquals(expected.id(), got.id());
      assertEquals(Arrays.toString(expected.numbers()), Arrays.toString(got.numbers()));
      assertArrayEquals(expected.texts(), got.texts());
      assertEquals(expected.sparse().length, got.sparse().length);
      for (int i = 0; i < expected.sparse().length; i++) {
        assertArrayEquals(expected.sparse()[i].indices(), got.sparse()[i].indices());
        assertArrayEquals(expected.sparse()[i].values(), got.sparse()[i].values());
      }
    }
    assertEquals(-1, in.read(), "nothing left over");
  }

  @Test
  void aTruncatedRecordIsAnError() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RecordCoder.of().encode(RECORDS.get(0), bytes);
    byte[] all = bytes.toByteArray();
    assertThrows(EOFException.class, () -> RecordCoder.of().decode(new ByteArrayInputStream(Arrays.copyOf(all, all.length - 3))));
  }
}
