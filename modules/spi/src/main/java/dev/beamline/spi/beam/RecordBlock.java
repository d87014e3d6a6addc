package dev.beamline.spi.beam;

import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import java.io.Serializable;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Raw rows travelling together between the stages that come before the transform (split, fit, apply).
 * Sources emit one {@link Record} per row, or blocks of them ({@link SourceStage#BLOCKS}); the pipeline packs
 * single rows into blocks of a few thousand right after ingest, so that each later stage handles hundreds of
 * elements instead of a million. On the DirectRunner
 * every element costs a metrics snapshot and several wrapper objects per stage; on Flink it costs a
 * serialization call per operator boundary.
 *
 * <p>A block keeps its rows' values in a few flat arrays (ids, numbers, texts, sparse vectors, each row after row)
 * rather than as {@link Record}s, and its texts as indexes into the block's distinct texts: the rows wait in memory
 * from ingest until the transform is fitted, and a million rows held as records are three million objects, and
 * their texts millions of references, for the garbage collector to trace, copy and update again and again (at 4M
 * rows of adult: 8.7 s of full collections in a 97 s run), where as blocks they are a few arrays per 4,096 rows. {@link #rows()} hands out the records anew on each access; rows whose arrays are not all of one
 * width (which the pipeline does not make) are kept as they are.
 */
public final class RecordBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rows per block: large enough to make the per-element cost vanish, small enough to spread across workers. */
  public static final int ROWS = 4096;

  final int size;
  final long[] ids;
  final int numberWidth;
  final int textWidth;
  final int sparseWidth;
  /** Row after row, {@code numberWidth} values each; likewise {@link #texts} and {@link #sparse}. */
  final double[] numbers;
  /** Each text cell as its index in {@link #distinct}, -1 when missing. */
  final int[] texts;
  /** The block's distinct texts, in the order they first occur. */
  final String[] distinct;
  final SparseVector[] sparse;
  /** The rows as given, when they are not all of one layout; otherwise null. */
  final List<Record> ragged;
  /**
   * The block as {@link RecordBlockCoder} wrote or read it, kept while the block lives: on Flink a block goes to each
   * consumer of its operator's output (and through each sort buffer) in its own serialized copy, and a block passed
   * on unchanged (a split's output as the next operator reads it) was just decoded from these bytes. A block never
   * changes after it is made, so the bytes stay its encoding.
   */
  transient volatile byte[] encoded;

  /** A block of rows of one layout, from its arrays (the coder's). */
  RecordBlock(long[] ids, int numberWidth, int textWidth, int sparseWidth, double[] numbers, int[] texts,
      String[] distinct, SparseVector[] sparse) {
    this.size = ids.length;
    this.ids = ids;
    this.numberWidth = numberWidth;
    this.textWidth = textWidth;
    this.sparseWidth = sparseWidth;
    this.numbers = numbers;
    this.texts = texts;
    this.distinct = distinct;
    this.sparse = sparse;
    this.ragged = null;
  }

  /**
   * A block of {@code rows}, in their order.
   *
   * @param rows the rows
   */
  public RecordBlock(List<Record> rows) {
    Objects.requireNonNull(rows, "rows");
    size = rows.size();
    Record first = size == 0 ? null : rows.get(0);
    numberWidth = first == null ? 0 : first.numbers().length;
    textWidth = first == null ? 0 : first.texts().length;
    sparseWidth = first == null ? 0 : first.sparse().length;
    if (!sameLayout(rows, numberWidth, textWidth, sparseWidth)) {
      ragged = List.copyOf(rows);
      ids = null;
      numbers = null;
      texts = null;
      distinct = null;
      sparse = null;
      return;
    }
    ragged = null;
    ids = new long[size];
    numbers = new double[size * numberWidth];
    texts = new int[size * textWidth];
    sparse = new SparseVector[size * sparseWidth];
    Map<String, Integer> index = new HashMap<>();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      Record r = rows.get(i);
      ids[i] = r.id();
      System.arraycopy(r.numbers(), 0, numbers, i * numberWidth, numberWidth);
      for (int t = 0; t < textWidth; t++) {
        String text = r.texts()[t];
        int code = -1;
        if (text != null) {
          Integer known = index.get(text);
          if (known == null) {
            known = seen.size();
            index.put(text, known);
            seen.add(text);
          }
          code = known;
        }
        texts[i * textWidth + t] = code;
      }
      System.arraycopy(r.sparse(), 0, sparse, i * sparseWidth, sparseWidth);
    }
    distinct = seen.toArray(String[]::new);
  }

  private static boolean sameLayout(List<Record> rows, int numberWidth, int textWidth, int sparseWidth) {
    for (Record r : rows) {
      if (r.numbers().length != numberWidth || r.texts().length != textWidth || r.sparse().length != sparseWidth) {
        return false;
      }
    }
    return true;
  }

  /** The number of rows. */
  public int size() {
    return size;
  }

  /** The rows, in order; each access makes the record anew (records own their arrays). */
  public List<Record> rows() {
    return ragged != null ? ragged : new Rows();
  }

  /**
   * A block of some of this block's rows ({@code rows}, indexes into this block), in that order: their columns copied,
   * the block's distinct texts shared, no record made.
   */
  public RecordBlock select(int[] rows) {
    if (ragged != null) {
      return new RecordBlock(java.util.Arrays.stream(rows).mapToObj(ragged::get).toList());
    }
    long[] someIds = new long[rows.length];
    double[] someNumbers = new double[rows.length * numberWidth];
    int[] someTexts = new int[rows.length * textWidth];
    SparseVector[] someSparse = new SparseVector[rows.length * sparseWidth];
    for (int k = 0; k < rows.length; k++) {
      int i = Objects.checkIndex(rows[k], size);
      someIds[k] = ids[i];
      System.arraycopy(numbers, i * numberWidth, someNumbers, k * numberWidth, numberWidth);
      System.arraycopy(texts, i * textWidth, someTexts, k * textWidth, textWidth);
      System.arraycopy(sparse, i * sparseWidth, someSparse, k * sparseWidth, sparseWidth);
    }
    return new RecordBlock(someIds, numberWidth, textWidth, sparseWidth, someNumbers, someTexts, distinct, someSparse);
  }

  /** The id of row {@code i}. */
  public long id(int i) {
    return ragged != null ? ragged.get(i).id() : ids[Objects.checkIndex(i, size)];
  }

  /** Numeric slot {@code slot} of row {@code i} (NaN: missing), without making the row's record. */
  public double number(int i, int slot) {
    return ragged != null ? ragged.get(i).numbers()[slot] : numbers[Objects.checkIndex(i, size) * numberWidth + Objects.checkIndex(slot, numberWidth)];
  }

  /** Text slot {@code slot} of row {@code i} (null: missing), without making the row's record. */
  public String text(int i, int slot) {
    if (ragged != null) {
      return ragged.get(i).texts()[slot];
    }
    int k = texts[Objects.checkIndex(i, size) * textWidth + Objects.checkIndex(slot, textWidth)];
    return k < 0 ? null : distinct[k];
  }

  /** Sparse slot {@code slot} of row {@code i}, without making the row's record. */
  public SparseVector sparse(int i, int slot) {
    return ragged != null ? ragged.get(i).sparse()[slot] : sparse[Objects.checkIndex(i, size) * sparseWidth + Objects.checkIndex(slot, sparseWidth)];
  }

  /**
   * The value of the column at {@code position} of {@code schema} in row {@code i}, as {@link Schema#valueAt} gives it
   * for the row's record (a Double, a String or a SparseVector), without making the record: for per-row loops.
   */
  public Object value(Schema schema, int i, int position) {
    int slot = schema.slotAt(position);
    return switch (schema.columns().get(position).type()) {
      case NUMERIC -> number(i, slot);
      case CATEGORICAL -> text(i, slot);
      case SPARSE -> sparse(i, slot);
    };
  }

  /** Row {@code i}. */
  public Record row(int i) {
    if (ragged != null) {
      return ragged.get(i);
    }
    Objects.checkIndex(i, size);
    return new Record(ids[i],
        Arrays.copyOfRange(numbers, i * numberWidth, (i + 1) * numberWidth),
        texts(i),
        sparseWidth == 0 ? null : Arrays.copyOfRange(sparse, i * sparseWidth, (i + 1) * sparseWidth));
  }

  private String[] texts(int i) {
    String[] row = new String[textWidth];
    for (int t = 0; t < textWidth; t++) {
      int k = texts[i * textWidth + t];
      row[t] = k < 0 ? null : distinct[k];
    }
    return row;
  }

  private final class Rows extends AbstractList<Record> implements RandomAccess {
    @Override
    public Record get(int i) {
      return row(i);
    }

    @Override
    public int size() {
      return size;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordBlock b && rows().equals(b.rows());
  }

  @Override
  public int hashCode() {
    return rows().hashCode();
  }

  @Override
  public String toString() {
    return "RecordBlock" + rows();
  }

  /** Collects rows and hands out full blocks of {@link #ROWS}. */
  public static final class Builder {
    private List<Record> rows = new ArrayList<>();

    /** Adds a row; returns a full block to emit, or null. */
    public RecordBlock add(Record r) {
      rows.add(r);
      return rows.size() >= ROWS ? build() : null;
    }

    /** Whether no row was added since the last block. */
    public boolean isEmpty() {
      return rows.isEmpty();
    }

    /** The rows added since the last block, as a block (possibly empty). */
    public RecordBlock build() {
      RecordBlock b = new RecordBlock(rows);
      rows = new ArrayList<>();
      return b;
    }
  }
}
