package dev.beamline.core.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Rewrites records read with a schema that lacks some columns (a file to score without the label or weight
 * column) into the layout of the full schema the fitted transform reads, the absent columns missing
 * (NaN, null).
 */
final class Widening implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Schema full;
  /** Per column of {@code full}: its slot in the narrow records, or -1 when the narrow schema lacks it. */
  private final int[] from;

  /**
   * @param narrow the schema the records were read with; every column must be in {@code full}, with its type
   * @param full the schema the records are rewritten to
   */
  Widening(Schema narrow, Schema full) {
    this.full = Objects.requireNonNull(full, "full");
    this.from = new int[full.columns().size()];
    for (int p = 0; p < from.length; p++) {
      var column = full.columns().get(p);
      int q = narrow.position(column.name());
      if (q >= 0 && narrow.columns().get(q).type() != column.type()) {
        throw new IllegalArgumentException("column '" + column.name() + "' is " + narrow.columns().get(q).type() + ", expected " + column.type());
      }
      from[p] = q < 0 ? -1 : narrow.slotAt(q);
    }
    for (var c : narrow.columns()) {
      if (full.position(c.name()) < 0) {
        throw new IllegalArgumentException("column '" + c.name() + "' is not in " + full.names());
      }
    }
  }

  Record apply(Record narrow) {
    double[] numbers = new double[full.numericCount()];
    String[] texts = new String[full.textCount()];
    dev.beamline.spi.data.SparseVector[] sparse = full.sparseCount() == 0 ? null : new dev.beamline.spi.data.SparseVector[full.sparseCount()];
    Arrays.fill(numbers, Double.NaN);
    for (int p = 0; p < from.length; p++) {
      if (from[p] < 0) {
        continue;
      }
      int slot = full.slotAt(p);
      switch (full.columns().get(p).type()) {
        case NUMERIC -> numbers[slot] = narrow.numbers()[from[p]];
        case CATEGORICAL -> texts[slot] = narrow.texts()[from[p]];
        case SPARSE -> sparse[slot] = narrow.sparse()[from[p]];
      }
    }
    return new Record(narrow.id(), numbers, texts, sparse);
  }
}
