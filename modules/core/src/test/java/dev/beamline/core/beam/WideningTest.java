package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

class WideningTest {
  private static final Schema FULL = new Schema(List.of(Column.numeric("age"), Column.categorical("job"), Column.numeric("hours"),
      Column.categorical("income")));

  @Test
  void rowsReadWithoutTheLabelTakeTheFullLayoutWithTheLabelMissing() {
    Schema narrow = new Schema(List.of(Column.numeric("age"), Column.categorical("job"), Column.numeric("hours")));
    Record r = new Widening(narrow, FULL).apply(new Record(7, new double[] {38, 40}, new String[] {"Private"}, null));
    assertEquals(7, r.id());
    assertArrayEquals(new double[] {38, 40}, r.numbers());
    assertArrayEquals(new String[] {"Private", null}, r.texts());
    assertEquals("Private", FULL.value(r, "job"));
  }

  @Test
  void aMissingNumericColumnIsNaNAndColumnsMayComeInAnotherOrder() {
    Schema narrow = new Schema(List.of(Column.categorical("job"), Column.numeric("hours")));
    Record r = new Widening(narrow, FULL).apply(new Record(1, new double[] {40}, new String[] {"Private"}, null));
    assertTrue(Double.isNaN((Double) FULL.value(r, "age")));
    assertEquals(40.0, FULL.value(r, "hours"));
  }

  @Test
  void aColumnOfAnotherTypeOrNotInTheFullSchemaIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Widening(new Schema(List.of(Column.categorical("age"))), FULL));
    assertThrows(IllegalArgumentException.class, () -> new Widening(new Schema(List.of(Column.numeric("extra"))), FULL));
  }
}
