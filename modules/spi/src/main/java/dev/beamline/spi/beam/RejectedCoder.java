package dev.beamline.spi.beam;

import dev.beamline.spi.data.Rejected;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A deterministic coder for {@link Rejected}. */
public final class RejectedCoder extends AtomicCoder<Rejected> {
  private static final long serialVersionUID = 1L;
  private static final RejectedCoder INSTANCE = new RejectedCoder();

  private RejectedCoder() {}

  /** The coder. */
  public static RejectedCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Rejected value, OutputStream outStream) throws IOException {
    DataOutputStream out = new DataOutputStream(outStream);
    Strings.write(out, value.source());
    Strings.write(out, value.file());
    out.writeLong(value.line());
    Strings.write(out, value.reason());
    Strings.write(out, value.raw());
    out.flush();
  }

  @Override
  public Rejected decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    return new Rejected(Strings.read(in), Strings.read(in), in.readLong(), Strings.read(in), Strings.read(in));
  }

  @Override
  public void verifyDeterministic() {}
}
