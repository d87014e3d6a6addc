package dev.beamline.spi.beam;

import dev.beamline.spi.data.Scored;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A compact, deterministic coder for {@link Scored}. */
public final class ScoredCoder extends AtomicCoder<Scored> {
  private static final long serialVersionUID = 1L;
  private static final ScoredCoder INSTANCE = new ScoredCoder();

  private ScoredCoder() {}

  /** The coder. */
  public static ScoredCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Scored value, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    out.writeLong(value.id());
    out.writeDouble(value.label());
    out.writeDouble(value.weight());
    Strings.writeFloats(out, value.prediction());
    out.writeBoolean(value.features() != null);
    if (value.features() != null) {
      Strings.writeFloats(out, value.features());
    }
    out.flush();
  }

  @Override
  public Scored decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    long id = in.readLong();
    double label = in.readDouble();
    double weight = in.readDouble();
    float[] prediction = Strings.readFloats(in);
    return new Scored(id, label, weight, prediction, in.readBoolean() ? Strings.readFloats(in) : null);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
