package dev.beamline.core.beam;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A compact coder for {@link Example}: a float array and four scalars. */
public final class ExampleCoder extends AtomicCoder<Example> {
  private static final long serialVersionUID = 1L;
  private static final ExampleCoder INSTANCE = new ExampleCoder();
  private static final Split[] SPLITS = Split.values();

  private ExampleCoder() {}

  /** The coder. */
  public static ExampleCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Example e, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    out.writeLong(e.id());
    out.writeByte(e.split().ordinal());
    out.writeFloat(e.label());
    out.writeFloat(e.weight());
    float[] f = e.features();
    out.writeInt(f.length);
    for (float v : f) {
      out.writeFloat(v);
    }
    out.flush();
  }

  @Override
  public Example decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    long id = in.readLong();
    Split split = SPLITS[in.readByte()];
    float label = in.readFloat();
    float weight = in.readFloat();
    float[] f = new float[in.readInt()];
    for (int i = 0; i < f.length; i++) {
      f[i] = in.readFloat();
    }
    return new Example(id, split, f, label, weight);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
