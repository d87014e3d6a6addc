package dev.beamline.core.beam;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.io.FileSystems;

/**
 * A block of transformed examples written to the run's staging directory, and the handle that travels
 * through the pipeline in its place. The transform stage writes each block once; training (on one worker)
 * and prediction read them back. Moving handles instead of blocks keeps a million rows of features out of
 * the runner's shuffle: the DirectRunner copies every value of a grouped bag several times (its in-memory
 * state is copied on access), and a Flink cluster would send them all through its network buffers.
 *
 * <p>On a runner that runs the whole pipeline in this JVM (the DirectRunner) a block stays in memory and its
 * handle names it ({@code memory:...}); elsewhere it is a file. Like the model files, the files are written
 * where the run directory is, so on a cluster of several machines the run directory must be on a file
 * system every worker sees. Either way the blocks are released when the pipeline ends
 * ({@link #release(String)}).
 *
 * @param split the split of every row
 * @param path where the block is: a file, {@code memory:...}, or {@code ""} for an empty block
 * @param ids the rows' ids, in the block's order: training orders rows by id before it reads any block
 * @param worker the worker whose rows these are when several train together ({@link TrainingGroup#partition}), else 0
 * @param label the label every row has, or NaN when they differ (or it is unknown): training sees from the handles
 *     alone whether a classification's training rows hold more than one class
 */
public record ExampleFile(Split split, String path, long[] ids, int worker, float label) implements Serializable {
  /** The staging subdirectory the blocks are written to. */
  public static final String DIRECTORY = "examples";

  public ExampleFile {
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(ids, "ids");
  }

  /** A block of rows not shared among workers, whose labels are not looked at. */
  public ExampleFile(Split split, String path, long[] ids) {
    this(split, path, ids, 0, Float.NaN);
  }

  /** An empty block of a split: no rows, no file. */
  static ExampleFile empty(Split split) {
    return new ExampleFile(split, "", new long[0]);
  }

  /** An empty block of a split for one worker: a sentinel that makes the worker's group exist. */
  static ExampleFile empty(Split split, int worker) {
    return new ExampleFile(split, "", new long[0], worker, Float.NaN);
  }

  /** The label all of a block's rows have, else NaN. */
  private static float onlyLabel(ExampleBlock block) {
    float[] labels = block.labels();
    if (labels.length == 0) {
      return Float.NaN;
    }
    float first = labels[0];
    for (float l : labels) {
      if (Float.compare(l, first) != 0) {
        return Float.NaN;
      }
    }
    return first;
  }

  /** The number of rows. */
  public int rows() {
    return ids.length;
  }

  private static final String MEMORY = "memory:";
  private static final Map<String, ExampleBlock> IN_MEMORY = new ConcurrentHashMap<>();

  /**
   * Keeps a block, in memory when {@code inMemory} (the pipeline runs in this JVM) or else as a file under
   * {@code stagingDir}/examples, and returns its handle.
   */
  static ExampleFile write(ExampleBlock block, String stagingDir, boolean inMemory) throws IOException {
    return write(block, stagingDir, inMemory, 0);
  }

  /** {@link #write(ExampleBlock, String, boolean)} for rows of one worker's share. */
  static ExampleFile write(ExampleBlock block, String stagingDir, boolean inMemory, int worker) throws IOException {
    if (inMemory) {
      String key = MEMORY + stagingDir + "#" + UUID.randomUUID();
      IN_MEMORY.put(key, block);
      return new ExampleFile(block.split(), key, block.ids(), worker, onlyLabel(block));
    }
    String name = block.split().label() + "-" + UUID.randomUUID() + ".bin";
    String path = RunFiles.write(stagingDir, DIRECTORY + "/" + name, encode(block));
    return new ExampleFile(block.split(), path, block.ids(), worker, onlyLabel(block));
  }

  /**
   * Reads the block back for the last time: a block kept in memory is let go (the predict stage, its last
   * reader, takes it, so a scoring run holds no more blocks than are in flight).
   */
  ExampleBlock take() throws IOException {
    ExampleBlock block = read();
    discard();
    return block;
  }

  /** Lets the block go unread: a block kept in memory is freed now; a file goes with the staging directory's examples. */
  void discard() {
    if (path.startsWith(MEMORY)) {
      IN_MEMORY.remove(path);
    }
  }

  /** Reads the block back. */
  ExampleBlock read() throws IOException {
    if (path.isEmpty()) {
      return new ExampleBlock(split, 0, new long[0], new float[0], new float[0], new float[0]);
    }
    ExampleBlock block;
    if (path.startsWith(MEMORY)) {
      block = IN_MEMORY.get(path);
      if (block == null) {
        throw new IOException("example block " + path + " is gone: blocks kept in memory live only in the JVM that ran "
            + "the transform, until the run ends");
      }
      return block;
    }
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
      block = decode(in);
    }
    if (block.rows() != ids.length || block.split() != split) {
      throw new IOException("example block " + path + " holds " + block.rows() + " " + block.split().label() + " rows, expected "
          + ids.length + " " + split.label() + " rows; was the run's staging directory changed while it ran?");
    }
    return block;
  }

  /**
   * A block as one array: split, width, rows, kept width, then ids, features, labels and weights (little-endian, the
   * machine's order, so that reading them back is a plain copy: training reads every block several times), then the
   * kept values, each a tag (0 missing, 1 number, 2 text) and its value (a text as its UTF-8 length and bytes).
   */
  static byte[] encode(ExampleBlock b) {
    int n = b.rows();
    ByteBuffer buf = ByteBuffer.allocate(HEADER + n * 8 + (b.features().length + 2 * n) * 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.put((byte) b.split().ordinal()).putInt(b.width()).putInt(n).putInt(b.keptWidth());
    buf.asLongBuffer().put(b.ids());
    buf.position(HEADER + n * 8);
    buf.asFloatBuffer().put(b.features()).put(b.labels()).put(b.weights());
    if (b.keptWidth() == 0) {
      return buf.array();
    }
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(buf.capacity() + b.kept().length * 8);
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.write(buf.array());
      for (Object v : b.kept()) {
        if (v instanceof Double d) {
          out.writeByte(1);
          out.writeDouble(d);
        } else if (v instanceof String t) {
          byte[] utf8 = t.getBytes(java.nio.charset.StandardCharsets.UTF_8); // any length (writeUTF stops at 64 KB)
          out.writeByte(2);
          out.writeInt(utf8.length);
          out.write(utf8);
        } else {
          out.writeByte(0);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // cannot happen: in memory
    }
    return bytes.toByteArray();
  }

  private static final int HEADER = 13;

  /** Reads what {@link #encode} wrote. */
  static ExampleBlock decode(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    byte[] header = new byte[HEADER];
    in.readFully(header);
    ByteBuffer head = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    int splitOrdinal = head.get();
    if (splitOrdinal < 0 || splitOrdinal >= Split.values().length) {
      throw new IOException("not an example block: split " + splitOrdinal);
    }
    int width = head.getInt();
    int n = head.getInt();
    int keptWidth = head.getInt();
    byte[] bytes = new byte[Math.multiplyExact(n, 8 + (width + 2) * 4)];
    in.readFully(bytes);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long[] ids = new long[n];
    buf.asLongBuffer().get(ids);
    buf.position(n * 8);
    float[] features = new float[n * width];
    float[] labels = new float[n];
    float[] weights = new float[n];
    buf.asFloatBuffer().get(features).get(labels).get(weights);
    Object[] kept = new Object[n * keptWidth];
    for (int i = 0; i < kept.length; i++) {
      int tag = in.readByte();
      kept[i] = switch (tag) {
        case 0 -> null;
        case 1 -> in.readDouble();
        case 2 -> {
          byte[] utf8 = new byte[in.readInt()];
          in.readFully(utf8);
          yield new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
        }
        default -> throw new IOException("not an example block: kept value tag " + tag);
      };
    }
    return new ExampleBlock(Split.values()[splitOrdinal], width, ids, features, labels, weights, keptWidth, kept);
  }

  /** Releases the in-memory blocks of the run staged in {@code stagingDir} (files are the caller's to delete). */
  public static void release(String stagingDir) {
    String prefix = MEMORY + stagingDir + "#";
    IN_MEMORY.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
