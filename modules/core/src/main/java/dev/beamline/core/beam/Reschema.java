package dev.beamline.core.beam;

import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Rewrites rows read with one schema into another's layout by column name (a column the rows lack, or have
 * with another type, is missing): how the run's test rows reach a champion trained on other columns.
 */
final class Reschema extends DoFn<RecordBlock, RecordBlock> {
  private static final long serialVersionUID = 1L;
  private final Schema to;
  /** Per column of {@code to}: its slot in the rows' schema, or -1. */
  private final int[] from;

  Reschema(Schema rows, Schema to) {
    this.to = to;
    this.from = new int[to.columns().size()];
    for (int p = 0; p < from.length; p++) {
      Column c = to.columns().get(p);
      from[p] = rows.find(c.name()).filter(r -> r.type() == c.type() && r.dimension() == c.dimension()).isPresent() ? rows.slot(c.name()) : -1;
    }
  }

  @ProcessElement
  public void process(@Element RecordBlock block, OutputReceiver<RecordBlock> out) {
    List<Record> rows = new ArrayList<>(block.size());
    for (Record r : block.rows()) {
      double[] numbers = new double[to.numericCount()];
      String[] texts = new String[to.textCount()];
      SparseVector[] sparse = new SparseVector[to.sparseCount()];
      Arrays.fill(numbers, Double.NaN);
      for (int p = 0; p < from.length; p++) {
        int slot = to.slotAt(p);
        switch (to.columns().get(p).type()) {
          case NUMERIC -> numbers[slot] = from[p] < 0 ? Double.NaN : r.numbers()[from[p]];
          case CATEGORICAL -> texts[slot] = from[p] < 0 ? null : r.texts()[from[p]];
          case SPARSE -> sparse[slot] = from[p] < 0 ? null : r.sparse()[from[p]];
        }
      }
      rows.add(new Record(r.id(), numbers, texts, sparse));
    }
    out.output(new RecordBlock(rows));
  }
}
