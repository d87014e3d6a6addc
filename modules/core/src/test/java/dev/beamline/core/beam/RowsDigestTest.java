package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.beamline.spi.data.Record;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowsDigestTest {
  private static long sum(List<Record> rows) {
    long s = 0;
    for (Record r : rows) {
      s += RowsDigest.of(r);
    }
    return s;
  }

  @Test
  void theDigestOfRowsIsTheSameInAnyOrderAndChangesWithAnyValue() {
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(new Record(i, new double[] {i, i * 0.5}, new String[] {"a" + (i % 3), i % 7 == 0 ? null : "b"}, null));
    }
    long digest = sum(rows);
    Collections.shuffle(rows, new Random(1));
    assertEquals(digest, sum(rows), "the order the rows come in does not count");
    assertEquals("0000000000000000", RowsDigest.hex(0));
    List<Record> changed = new ArrayList<>(rows);
    Record r = changed.get(5);
    changed.set(5, new Record(r.id(), new double[] {r.numbers()[0], r.numbers()[1] + 1e-12}, r.texts(), null));
    assertNotEquals(digest, sum(changed), "a number changed");
    changed = new ArrayList<>(rows);
    changed.set(5, new Record(r.id(), r.numbers(), new String[] {r.texts()[1], r.texts()[0]}, null));
    assertNotEquals(digest, sum(changed), "two values swapped");
    changed = new ArrayList<>(rows);
    changed.set(5, new Record(r.id() + 1000, r.numbers(), r.texts(), null));
    assertNotEquals(digest, sum(changed), "a row's id changed");
    assertNotEquals(digest, sum(rows.subList(1, rows.size())), "a row removed");
  }
}
