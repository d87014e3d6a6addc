package dev.beamline.spi.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.SparseVector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Encodes a {@link RecordBlock} column-wise, in one call: the row count, the ids, the numbers, each distinct text of
 * the block once followed by every text cell as an index into them, then the sparse vectors (big-endian). A block
 * of adult's rows is then about half its row-by-row size, and decoding it makes each repeated category one String
 * instead of one per row. Rows of mixed layouts (which the pipeline does not make) are written row by row in
 * {@link RecordCoder}'s format.
 */
public final class RecordBlockCoder extends AtomicCoder<RecordBlock> {
  private static final long serialVersionUID = 1L;
  private static final RecordBlockCoder INSTANCE = new RecordBlockCoder();
  private static final byte COLUMNS = 0;
  private static final byte ROWS = 1;

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
    byte[] body = block.ragged != null ? rows(block.ragged) : columns(block);
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

  private static byte[] columns(RecordBlock block) {
    byte[][] distinct = new byte[block.distinct.length][];
    int size = 1 + 4 * 4 + 8 * block.size + 8 * block.numbers.length + 4 + 4 * block.texts.length;
    for (int i = 0; i < distinct.length; i++) {
      distinct[i] = block.distinct[i].getBytes(StandardCharsets.UTF_8);
      size += 4 + distinct[i].length;
    }
    for (SparseVector v : block.sparse) {
      size += Strings.sparseBytes(v);
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(COLUMNS).putInt(block.size).putInt(block.numberWidth).putInt(block.textWidth).putInt(block.sparseWidth);
    b.asLongBuffer().put(block.ids);
    b.position(b.position() + 8 * block.size);
    b.asDoubleBuffer().put(block.numbers);
    b.position(b.position() + 8 * block.numbers.length);
    b.putInt(distinct.length);
    for (byte[] utf8 : distinct) {
      b.putInt(utf8.length).put(utf8);
    }
    b.asIntBuffer().put(block.texts);
    b.position(b.position() + 4 * block.texts.length);
    for (SparseVector v : block.sparse) {
      Strings.putSparse(b, v);
    }
    return b.array();
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
    return body[0] == ROWS ? decodeRows(body) : decodeColumns(body);
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

  private static RecordBlock decodeColumns(byte[] body) throws CoderException {
    ByteBuffer b = ByteBuffer.wrap(body, 1, body.length - 1);
    int size = b.getInt();
    int numberWidth = b.getInt();
    int textWidth = b.getInt();
    int sparseWidth = b.getInt();
    if (size < 0 || numberWidth < 0 || textWidth < 0 || sparseWidth < 0) {
      throw new CoderException("corrupt RecordBlock: " + size + " rows of widths " + numberWidth + ", " + textWidth + ", " + sparseWidth);
    }
    long[] ids = new long[size];
    b.asLongBuffer().get(ids);
    b.position(b.position() + 8 * size);
    double[] numbers = new double[size * numberWidth];
    b.asDoubleBuffer().get(numbers);
    b.position(b.position() + 8 * numbers.length);
    String[] distinct = new String[b.getInt()];
    for (int i = 0; i < distinct.length; i++) {
      int n = b.getInt();
      distinct[i] = new String(body, b.position(), n, StandardCharsets.UTF_8);
      b.position(b.position() + n);
    }
    int[] texts = new int[size * textWidth];
    b.asIntBuffer().get(texts);
    b.position(b.position() + 4 * texts.length);
    for (int k : texts) {
      if (k < -1 || k >= distinct.length) {
        throw new CoderException("corrupt RecordBlock: text " + k + " of " + distinct.length);
      }
    }
    SparseVector[] sparse = new SparseVector[size * sparseWidth];
    for (int i = 0; i < sparse.length; i++) {
      sparse[i] = Strings.getSparse(b);
    }
    return new RecordBlock(ids, numberWidth, textWidth, sparseWidth, numbers, texts, distinct, sparse);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
