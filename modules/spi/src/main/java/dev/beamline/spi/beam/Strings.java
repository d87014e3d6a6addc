package dev.beamline.spi.beam;

import dev.beamline.spi.data.SparseVector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Encoding of nullable strings and sparse vectors shared by the coders of this package. */
final class Strings {
  private Strings() {}

  static void write(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String read(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    for (float f : values) {
      out.writeFloat(f);
    }
  }

  static float[] readFloats(DataInputStream in) throws IOException {
    float[] values = new float[in.readInt()];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }

  /** The bytes {@link #putSparse} writes for {@code v}. */
  static int sparseBytes(SparseVector v) {
    return 4 + 8 * v.indices().length;
  }

  /** Writes a sparse vector: its length, the indices, then the values. */
  static void putSparse(ByteBuffer b, SparseVector v) {
    b.putInt(v.indices().length);
    for (int i : v.indices()) {
      b.putInt(i);
    }
    for (float f : v.values()) {
      b.putFloat(f);
    }
  }

  /** Reads what {@link #putSparse} wrote. */
  static SparseVector getSparse(ByteBuffer b) {
    int n = b.getInt();
    int[] idx = new int[n];
    float[] val = new float[n];
    for (int i = 0; i < n; i++) {
      idx[i] = b.getInt();
    }
    for (int i = 0; i < n; i++) {
      val[i] = b.getFloat();
    }
    return new SparseVector(idx, val);
  }
}
