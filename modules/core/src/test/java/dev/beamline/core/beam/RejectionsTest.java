package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

class RejectionsTest {
  @Test
  void aRowRefusedAfterParsingNamesItsSourceFileLineAndValuesByColumn() {
    Schema schema = new Schema(List.of(Column.numeric("age"), Column.categorical("job"), Column.numeric("hours"),
        Column.categorical("income"), Column.numeric("ratio")));
    long id = RecordIds.of(1, 0, 17);
    Record r = new Record(id, new double[] {38, Double.NaN, 0.25}, new String[] {"Private", null}, null);
    Rejections rejections = new Rejections(List.of("train", "extra"), List.of(List.of("a.csv"), List.of("/data/b.csv")));
    Rejected rejected = rejections.of(schema, r, "label column 'income' is missing");
    assertEquals(new Rejected("extra", "/data/b.csv", 17, "label column 'income' is missing",
        "age=38, job=Private, hours=, income=, ratio=0.25"), rejected);
  }
}
