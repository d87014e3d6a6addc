package dev.beamline.core.beam;

import dev.beamline.spi.data.Record;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Raw rows travelling together between the stages that come before the transform (split, fit, apply).
 * Sources emit one {@link Record} per row; the pipeline packs them into blocks of a few thousand right after
 * ingest, so that each later stage handles hundreds of elements instead of a million. On the DirectRunner
 * every element costs a metrics snapshot and several wrapper objects per stage; on Flink it costs a
 * serialization call per operator boundary.
 *
 * @param rows the rows, in the order they were read
 */
public record RecordBlock(List<Record> rows) implements Serializable {
  /** Rows per block: large enough to make the per-element cost vanish, small enough to spread across workers. */
  public static final int ROWS = 4096;

  public RecordBlock {
    Objects.requireNonNull(rows, "rows");
  }

  /** The number of rows. */
  public int size() {
    return rows.size();
  }

  /** Collects rows and hands out full blocks. */
  static final class Builder {
    private List<Record> rows = new ArrayList<>();

    /** Adds a row; returns a full block to emit, or null. */
    RecordBlock add(Record r) {
      rows.add(r);
      return rows.size() >= ROWS ? build() : null;
    }

    boolean isEmpty() {
      return rows.isEmpty();
    }

    /** The rows added since the last block, as a block (possibly empty). */
    RecordBlock build() {
      RecordBlock b = new RecordBlock(rows);
      rows = new ArrayList<>();
      return b;
    }
  }
}
