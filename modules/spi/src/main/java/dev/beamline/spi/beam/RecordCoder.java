package dev.beamline.spi.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.SparseVector;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/** A compact, deterministic coder for {@link Record}: primitive arrays, no field names, no boxing. */
public final class RecordCoder extends AtomicCoder<Record> {
  private static final long serialVersionUID = 1L;
  private static final RecordCoder INSTANCE = new RecordCoder();

  private RecordCoder() {}

  /** The coder. */
  public static RecordCoder of() {
    return INSTANCE;
  }

  /**
   * Writes the record as its length and then its body in one call: id, the numbers, the texts (UTF-8, -1 for
   * missing), the sparse vectors, big-endian. A runner hands a coder a stream that costs a call per byte
   * written through {@code DataOutputStream} (Flink's output views), so the body is put together in memory first.
   */
  @Override
  public void encode(Record value, OutputStream out) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null Record");
    }
    double[] numbers = value.numbers();
    String[] texts = value.texts();
    SparseVector[] sparse = value.sparse();
    byte[][] utf8 = new byte[texts.length][];
    int size = 8 + 4 + 8 * numbers.length + 4 + 4;
    for (int i = 0; i < texts.length; i++) {
      utf8[i] = texts[i] == null ? null : texts[i].getBytes(StandardCharsets.UTF_8);
      size += 4 + (utf8[i] == null ? 0 : utf8[i].length);
    }
    for (SparseVector v : sparse) {
      size += Strings.sparseBytes(v);
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putLong(value.id());
    b.putInt(numbers.length);
    for (double d : numbers) {
      b.putDouble(d);
    }
    b.putInt(texts.length);
    for (byte[] t : utf8) {
      if (t == null) {
        b.putInt(-1);
      } else {
        b.putInt(t.length);
        b.put(t);
      }
    }
    b.putInt(sparse.length);
    for (SparseVector v : sparse) {
      Strings.putSparse(b, v);
    }
    VarInt.encode(size, out);
    out.write(b.array(), 0, size);
  }

  /** Reads the length, then the whole body in one call. */
  @Override
  public Record decode(InputStream in) throws IOException {
    int size = VarInt.decodeInt(in);
    if (size < 0) {
      throw new CoderException("corrupt Record: " + size + " bytes");
    }
    byte[] body = in.readNBytes(size);
    if (body.length != size) {
      throw new EOFException("a Record of " + size + " bytes ended after " + body.length);
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    long id = b.getLong();
    double[] numbers = new double[b.getInt()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = b.getDouble();
    }
    String[] texts = new String[b.getInt()];
    for (int i = 0; i < texts.length; i++) {
      int n = b.getInt();
      if (n >= 0) {
        texts[i] = new String(body, b.position(), n, StandardCharsets.UTF_8);
        b.position(b.position() + n);
      }
    }
    SparseVector[] sparse = new SparseVector[b.getInt()];
    for (int s = 0; s < sparse.length; s++) {
      sparse[s] = Strings.getSparse(b);
    }
    return new Record(id, numbers, texts, sparse);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
