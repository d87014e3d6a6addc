package dev.beamline.core.beam;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.AtomicCoder;

/** Encodes an {@link ExampleBlock} as bulk primitive arrays: the format of the example files ({@link ExampleFile}). */
public final class ExampleBlockCoder extends AtomicCoder<ExampleBlock> {
  private static final long serialVersionUID = 1L;
  private static final ExampleBlockCoder INSTANCE = new ExampleBlockCoder();
  private static final Split[] SPLITS = Split.values();

  private ExampleBlockCoder() {}

  /** The coder. */
  public static ExampleBlockCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ExampleBlock b, OutputStream outStream) throws IOException {
    outStream.write(bytes(b));
  }

  /** The encoded block, in one array: split, width, rows, then ids, features, labels and weights. */
  static byte[] bytes(ExampleBlock b) {
    int n = b.rows();
    ByteBuffer buf = ByteBuffer.allocate(9 + n * 8 + (b.features().length + 2 * n) * 4);
    buf.put((byte) b.split().ordinal()).putInt(b.width()).putInt(n);
    buf.asLongBuffer().put(b.ids());
    buf.position(9 + n * 8);
    buf.asFloatBuffer().put(b.features()).put(b.labels()).put(b.weights());
    return buf.array();
  }

  @Override
  public ExampleBlock decode(InputStream inStream) throws IOException {
    DataInputStream in = new DataInputStream(inStream);
    Split split = SPLITS[in.readByte()];
    int width = in.readInt();
    int n = in.readInt();
    byte[] bytes = new byte[n * 8 + (n * width + 2 * n) * 4];
    in.readFully(bytes);
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    long[] ids = new long[n];
    buf.asLongBuffer().get(ids);
    buf.position(n * 8);
    float[] features = new float[n * width];
    float[] labels = new float[n];
    float[] weights = new float[n];
    var floats = buf.asFloatBuffer();
    floats.get(features).get(labels).get(weights);
    return new ExampleBlock(split, width, ids, features, labels, weights);
  }

  @Override
  public void verifyDeterministic() {}
}
