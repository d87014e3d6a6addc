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
    out.flush();
  }

  @Override
  public Scored decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    return new Scored(in.readLong(), in.readDouble(), in.readDouble(), Strings.readFloats(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
