package dev.beamline.spi.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.SparseVector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Encodes a {@link RecordBlock} column-wise, in one call: the row count, the ids as differences from the row
 * before, the numbers column by column (a column of whole numbers as variable-length integers, any other as
 * 8-byte doubles), each distinct text of the block once followed by every text cell as an index into them (one
 * byte each while a block has fewer than 255 distinct texts), then the sparse vectors. A block of adult's rows
 * is then under a quarter of its row-by-row size: on Flink every row crosses the network between operators
 * once for each consumer, so bytes are what a row costs there. Decoding makes each repeated category one String
 * instead of one per row. Rows of mixed layouts (which the pipeline does not make) are written row by row in
 * {@link RecordCoder}'s format.
 */
public final class RecordBlockCoder extends AtomicCoder<RecordBlock> {
  private static final long serialVersionUID = 1L;
  private static final RecordBlockCoder INSTANCE = new RecordBlockCoder();
  private static final byte ROWS = 1;
  private static final byte COLUMNS = 2;
  /** A number column's encoding: 8-byte doubles, or whole numbers as variable-length integers (NaN as 0). */
  private static final byte DOUBLES = 0;
  private static final byte WHOLE = 1;
  /** Whole numbers below this magnitude are written as integers: every one of them is exact as a double. */
  private static final double WHOLE_LIMIT = 0x1p52;
  private static final long CANONICAL_NAN = Double.doubleToRawLongBits(Double.NaN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private RecordBlockCoder() {}

  /** The coder. */
  public static RecordBlockCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RecordBlock block, OutputStream out) throws IOException {
    if (block == null) {
      throw new CoderException("cannot encode a null RecordBlock");
    }
    byte[] body = block.encoded;
    if (body == null) {
      if (block.ragged != null) {
        body = rows(block.ragged);
      } else {
        Out columns = columns(block);
        body = Arrays.copyOf(columns.bytes, columns.position);
      }
      block.encoded = body;
    }
    VarInt.encode(body.length, out);
    out.write(body);
  }

  private static byte[] rows(List<Record> rows) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(ROWS);
    VarInt.encode(rows.size(), b);
    for (Record r : rows) {
      RecordCoder.of().encode(r, b);
    }
    return b.toByteArray();
  }

  private static Out columns(RecordBlock block) {
    // About what a block of whole numbers and few texts takes; the buffer grows when a block needs more.
    Out out = new Out(64 + 3 * block.size + 3 * block.numbers.length + block.texts.length);
    out.put(COLUMNS);
    out.putVarLong(block.size);
    out.putVarLong(block.numberWidth);
    out.putVarLong(block.textWidth);
    out.putVarLong(block.sparseWidth);
    long previous = 0;
    for (long id : block.ids) {
      out.putVarLong(zigzag(id - previous));
      previous = id;
    }
    for (int column = 0; column < block.numberWidth; column++) {
      putNumbers(out, block, column);
    }
    out.putVarLong(block.distinct.length);
    for (String text : block.distinct) {
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      out.putVarLong(utf8.length);
      out.put(utf8);
    }
    putTexts(out, block.texts, block.distinct.length);
    for (SparseVector v : block.sparse) {
      int n = Strings.sparseBytes(v);
      out.ensure(n);
      Strings.putSparse(ByteBuffer.wrap(out.bytes, out.position, n), v);
      out.position += n;
    }
    return out;
  }

  /** One number column: as integers when every value is a whole number (or a plain NaN), else as doubles. */
  private static void putNumbers(Out out, RecordBlock block, int column) {
    double[] numbers = block.numbers;
    int width = block.numberWidth;
    boolean whole = true;
    for (int i = column; i < numbers.length && whole; i += width) {
      whole = isWhole(numbers[i]);
    }
    out.put(whole ? WHOLE : DOUBLES);
    for (int i = column; i < numbers.length; i += width) {
      if (whole) {
        out.putVarLong(Double.isNaN(numbers[i]) ? 0 : zigzag((long) numbers[i]) + 1);
      } else {
        out.putLong(Double.doubleToRawLongBits(numbers[i]));
      }
    }
  }

  /** Whether {@code v} survives the trip through a variable-length integer bit for bit. */
  private static boolean isWhole(double v) {
    if (Double.isNaN(v)) {
      return Double.doubleToRawLongBits(v) == CANONICAL_NAN;
    }
    return v == Math.rint(v) && Math.abs(v) < WHOLE_LIMIT && Double.doubleToRawLongBits(v) != Double.doubleToRawLongBits(-0.0);
  }

  /** Text cells as their index + 1 (0 when missing), in as few bytes as the block's distinct texts allow. */
  private static void putTexts(Out out, int[] texts, int distinct) {
    int bytes = textBytes(distinct);
    out.ensure(bytes * texts.length);
    for (int k : texts) {
      int v = k + 1;
      for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
        out.bytes[out.position++] = (byte) (v >>> shift);
      }
    }
  }

  private static int textBytes(int distinct) {
    return distinct < 255 ? 1 : distinct < 65_535 ? 2 : 4;
  }

  private static long zigzag(long v) {
    return (v << 1) ^ (v >> 63);
  }

  private static long unzigzag(long v) {
    return (v >>> 1) ^ -(v & 1);
  }

  @Override
  public RecordBlock decode(InputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length < 1) {
      throw new CoderException("corrupt RecordBlock: " + length + " bytes");
    }
    byte[] body = in.readNBytes(length);
    if (body.length != length) {
      throw new EOFException("a RecordBlock of " + length + " bytes ended after " + body.length);
    }
    RecordBlock block;
    switch (body[0]) {
      case ROWS:
        block = decodeRows(body);
        break;
      case COLUMNS:
        try {
          block = decodeColumns(new In(body));
        } catch (IndexOutOfBoundsException | NegativeArraySizeException | BufferUnderflowException e) {
          throw new CoderException("corrupt RecordBlock: its " + length + " bytes end too soon", e);
        }
        break;
      default:
        throw new CoderException("corrupt RecordBlock: unknown layout " + body[0]);
    }
    block.encoded = body;
    return block;
  }

  private static RecordBlock decodeRows(byte[] body) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(body, 1, body.length - 1);
    int n = VarInt.decodeInt(in);
    List<Record> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(RecordCoder.of().decode(in));
    }
    return new RecordBlock(rows);
  }

  private static RecordBlock decodeColumns(In in) throws CoderException {
    int size = in.getCount();
    int numberWidth = in.getCount();
    int textWidth = in.getCount();
    int sparseWidth = in.getCount();
    long[] ids = new long[size];
    long previous = 0;
    for (int i = 0; i < size; i++) {
      previous += unzigzag(in.getVarLong());
      ids[i] = previous;
    }
    double[] numbers = new double[Math.multiplyExact(size, numberWidth)];
    for (int column = 0; column < numberWidth; column++) {
      getNumbers(in, numbers, column, numberWidth);
    }
    String[] distinct = new String[in.getCount()];
    for (int i = 0; i < distinct.length; i++) {
      int n = in.getCount();
      distinct[i] = new String(in.bytes, in.position, n, StandardCharsets.UTF_8);
      in.skip(n);
    }
    int[] texts = getTexts(in, Math.multiplyExact(size, textWidth), distinct.length);
    SparseVector[] sparse = new SparseVector[Math.multiplyExact(size, sparseWidth)];
    ByteBuffer rest = ByteBuffer.wrap(in.bytes, in.position, in.bytes.length - in.position);
    for (int i = 0; i < sparse.length; i++) {
      sparse[i] = Strings.getSparse(rest);
    }
    return new RecordBlock(ids, numberWidth, textWidth, sparseWidth, numbers, texts, distinct, sparse);
  }

  private static void getNumbers(In in, double[] numbers, int column, int width) throws CoderException {
    byte kind = in.get();
    if (kind != WHOLE && kind != DOUBLES) {
      throw new CoderException("corrupt RecordBlock: number column " + column + " of unknown encoding " + kind);
    }
    for (int i = column; i < numbers.length; i += width) {
      if (kind == DOUBLES) {
        numbers[i] = Double.longBitsToDouble(in.getLong());
      } else {
        long v = in.getVarLong();
        numbers[i] = v == 0 ? Double.NaN : (double) unzigzag(v - 1);
      }
    }
  }

  private static int[] getTexts(In in, int count, int distinct) throws CoderException {
    int bytes = textBytes(distinct);
    int[] texts = new int[count];
    for (int i = 0; i < count; i++) {
      int v = 0;
      for (int b = 0; b < bytes; b++) {
        v = (v << 8) | (in.bytes[in.position++] & 0xFF);
      }
      if (v < 0 || v > distinct) {
        throw new CoderException("corrupt RecordBlock: text " + (v - 1) + " of " + distinct);
      }
      texts[i] = v - 1;
    }
    return texts;
  }

  /** A growing byte array written from the front. */
  private static final class Out {
    byte[] bytes;
    int position;

    Out(int capacity) {
      bytes = new byte[capacity];
    }

    void ensure(int more) {
      if (bytes.length - position < more) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + more));
      }
    }

    void put(byte b) {
      ensure(1);
      bytes[position++] = b;
    }

    void put(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, bytes, position, b.length);
      position += b.length;
    }

    void putLong(long v) {
      ensure(8);
      LONG.set(bytes, position, v);
      position += 8;
    }

    /** {@code v} (taken as unsigned) in 7-bit groups, low first, the high bit set on all but the last. */
    void putVarLong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        bytes[position++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      bytes[position++] = (byte) v;
    }
  }

  /** Reads what {@link Out} wrote; reading past the end throws {@link IndexOutOfBoundsException}. */
  private static final class In {
    final byte[] bytes;
    int position = 1; // after the layout byte

    In(byte[] bytes) {
      this.bytes = bytes;
    }

    byte get() {
      return bytes[position++];
    }

    long getLong() {
      long v = (long) LONG.get(bytes, position);
      position += 8;
      return v;
    }

    long getVarLong() throws CoderException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = bytes[position++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
      throw new CoderException("corrupt RecordBlock: a number runs past 10 bytes");
    }

    /** A count or length: a variable-length integer that must fit an int. */
    int getCount() throws CoderException {
      long v = getVarLong();
      if (v < 0 || v > Integer.MAX_VALUE) {
        throw new CoderException("corrupt RecordBlock: count " + v);
      }
      return (int) v;
    }

    void skip(int n) {
      if (n > bytes.length - position) {
        throw new IndexOutOfBoundsException(n);
      }
      position += n;
    }
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
