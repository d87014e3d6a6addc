package dev.beamline.plugins.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LineEndsTest {
  @Test
  void countsEveryLineEndAndNothingElseAtAnyOffset() {
    Random r = new Random(7);
    // Bytes near a line end's bits: 0x0A itself, 0x8A (its bits and the high one), 0x0B, 0x00, 0xFF, text.
    byte[] alphabet = {0x0A, (byte) 0x8A, 0x0B, 0x00, (byte) 0xFF, 'a', ',', 0x09, (byte) 0x80, 0x7F};
    for (int round = 0; round < 200; round++) {
      byte[] b = new byte[r.nextInt(100)];
      for (int i = 0; i < b.length; i++) {
        b[i] = alphabet[r.nextInt(alphabet.length)];
      }
      int from = b.length == 0 ? 0 : r.nextInt(b.length);
      int to = from + (b.length == from ? 0 : r.nextInt(b.length - from + 1));
      long expected = 0;
      for (int i = from; i < to; i++) {
        expected += b[i] == '\n' ? 1 : 0;
      }
      assertEquals(expected, LineEnds.count(b, from, to), "round " + round + ", [" + from + ", " + to + ")");
    }
  }

  @Test
  void countsAllLineEnds() {
    byte[] b = new byte[67];
    java.util.Arrays.fill(b, (byte) '\n');
    assertEquals(67, LineEnds.count(b, 0, 67));
    assertEquals(0, LineEnds.count(new byte[64], 0, 64));
  }
}
