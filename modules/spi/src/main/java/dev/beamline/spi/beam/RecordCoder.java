package dev.beamline.spi.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.SparseVector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;

/** A compact, deterministic coder for {@link Record}: primitive arrays, no field names, no boxing. */
public final class RecordCoder extends AtomicCoder<Record> {
  private static final long serialVersionUID = 1L;
  private static final RecordCoder INSTANCE = new RecordCoder();

  private RecordCoder() {}

  /** The coder. */
  public static RecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Record value, OutputStream outStream) throws IOException {
    if (value == null) {
      throw new CoderException("cannot encode a null Record");
    }
    DataOutputStream out = new DataOutputStream(outStream);
    out.writeLong(value.id());
    double[] numbers = value.numbers();
    out.writeInt(numbers.length);
    for (double d : numbers) {
      out.writeDouble(d);
    }
    String[] texts = value.texts();
    out.writeInt(texts.length);
    for (String t : texts) {
      Strings.write(out, t);
    }
    SparseVector[] sparse = value.sparse();
    out.writeInt(sparse.length);
    for (SparseVector v : sparse) {
      Strings.writeSparse(out, v);
    }
    out.flush();
  }

  @Override
  public Record decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    long id = in.readLong();
    double[] numbers = new double[in.readInt()];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = in.readDouble();
    }
    String[] texts = new String[in.readInt()];
    for (int i = 0; i < texts.length; i++) {
      texts[i] = Strings.read(in);
    }
    SparseVector[] sparse = new SparseVector[in.readInt()];
    for (int i = 0; i < sparse.length; i++) {
      sparse[i] = Strings.readSparse(in);
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
