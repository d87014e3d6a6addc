package dev.beamline.core.beam;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Java serialization for combiner accumulators, which Beam only moves between workers and never compares
 * or groups by (plugins' accumulators are {@link Serializable} by contract).
 */
final class AccumulatorCoder<T extends Serializable> extends CustomCoder<T> {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;

  private AccumulatorCoder(Class<T> type) {
    this.type = type;
  }

  static <T extends Serializable> AccumulatorCoder<T> of(Class<T> type) {
    return new AccumulatorCoder<>(type);
  }

  @Override
  public void encode(T value, OutputStream out) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (ObjectOutputStream oos = new ObjectOutputStream(bytes)) {
      oos.writeObject(value);
    }
    VarInt.encode(bytes.size(), out);
    bytes.writeTo(out);
  }

  @Override
  public T decode(InputStream in) throws IOException {
    byte[] data = new byte[VarInt.decodeInt(in)];
    new java.io.DataInputStream(in).readFully(data);
    try (ObjectInputStream ois = new ObjectInputStream(new java.io.ByteArrayInputStream(data)) {
      @Override
      protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
        return Class.forName(desc.getName(), false, Thread.currentThread().getContextClassLoader() != null
            ? Thread.currentThread().getContextClassLoader() : AccumulatorCoder.class.getClassLoader());
      }
    }) {
      return type.cast(ois.readObject());
    } catch (ClassNotFoundException e) {
      throw new CoderException("cannot decode a " + type.getSimpleName() + ": class " + e.getMessage()
          + " is not on this worker's class path (is its plugin installed?)", e);
    }
  }
}
