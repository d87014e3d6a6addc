package dev.beamline.features;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/**
 * A DDSketch in a Java-serialized accumulator (the fitted quantiles, the data statistics): its own compact
 * encoding, length first. A DDSketch is not {@code Serializable}; its owner writes it with
 * {@link #write} from {@code writeObject} and reads it back with {@link #read} from {@code readObject}.
 */
public final class SketchBytes {
  private SketchBytes() {}

  /** Writes the sketch's buckets. */
  public static void write(DDSketch sketch, ObjectOutputStream out) throws IOException {
    GrowingByteArrayOutput bytes = GrowingByteArrayOutput.withDefaultInitialCapacity();
    sketch.encode(bytes, false);
    byte[] data = bytes.trimmedCopy();
    out.writeInt(data.length);
    out.write(data);
  }

  /** Reads what {@link #write} wrote into a new unbounded dense sketch of the given relative accuracy. */
  public static DDSketch read(ObjectInputStream in, double relativeAccuracy) throws IOException {
    byte[] data = new byte[in.readInt()];
    in.readFully(data);
    DDSketch sketch = DDSketches.unboundedDense(relativeAccuracy);
    sketch.decodeAndMergeWith(ByteArrayInput.wrap(data));
    return sketch;
  }
}
