package dev.beamline.spi.beam;

import dev.beamline.spi.data.SparseVector;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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

  static void writeSparse(DataOutputStream out, SparseVector v) throws IOException {
    int[] idx = v.indices();
    out.writeInt(idx.length);
    for (int i : idx) {
      out.writeInt(i);
    }
    for (float f : v.values()) {
      out.writeFloat(f);
    }
  }

  static SparseVector readSparse(DataInputStream in) throws IOException {
    int n = in.readInt();
    int[] idx = new int[n];
    float[] val = new float[n];
    for (int i = 0; i < n; i++) {
      idx[i] = in.readInt();
    }
    for (int i = 0; i < n; i++) {
      val[i] = in.readFloat();
    }
    return new SparseVector(idx, val);
  }
}
