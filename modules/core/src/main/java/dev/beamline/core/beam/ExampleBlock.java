package dev.beamline.core.beam;

import java.io.Serializable;
import java.util.Objects;

/**
 * Transformed rows of one split packed together: ids, a row-major feature block, labels and weights.
 * Rows travel in blocks of a few thousand so that gathering a million rows for training moves a few hundred
 * elements, not a million.
 *
 * @param split the split of every row
 * @param width features per row
 * @param ids row ids
 * @param features {@code ids.length * width} values, row-major; NaN = missing
 * @param labels one per row; NaN where a scored row has no label
 * @param weights one per row
 * @param keptWidth how many input columns each row carries along unchanged (batch scoring's {@code --keep})
 * @param kept {@code ids.length * keptWidth} input values, row-major: a Double, a String or null (missing)
 */
public record ExampleBlock(Split split, int width, long[] ids, float[] features, float[] labels, float[] weights, int keptWidth,
    Object[] kept) implements Serializable {

  public ExampleBlock {
    Objects.requireNonNull(split, "split");
    if (features.length != ids.length * width || labels.length != ids.length || weights.length != ids.length
        || kept.length != ids.length * keptWidth) {
      throw new IllegalArgumentException("inconsistent block: " + ids.length + " rows of " + width + " features");
    }
  }

  /** A block that carries no input columns along. */
  public ExampleBlock(Split split, int width, long[] ids, float[] features, float[] labels, float[] weights) {
    this(split, width, ids, features, labels, weights, 0, NOTHING_KEPT);
  }

  /** Row {@code row}'s kept input value {@code k}. */
  public Object kept(int row, int k) {
    return kept[row * keptWidth + k];
  }

  /** The number of rows. */
  public int rows() {
    return ids.length;
  }

  private static final Object[] NOTHING_KEPT = new Object[0];

  /** The rows at positions {@code rows} (ascending), in their order: a block of their own. */
  ExampleBlock select(int[] rows) {
    long[] i = new long[rows.length];
    float[] f = new float[rows.length * width];
    float[] l = new float[rows.length];
    float[] w = new float[rows.length];
    Object[] k = new Object[rows.length * keptWidth];
    for (int r = 0; r < rows.length; r++) {
      int from = rows[r];
      i[r] = ids[from];
      System.arraycopy(features, from * width, f, r * width, width);
      l[r] = labels[from];
      w[r] = weights[from];
      System.arraycopy(kept, from * keptWidth, k, r * keptWidth, keptWidth);
    }
    return new ExampleBlock(split, width, i, f, l, w, keptWidth, k);
  }

  /** Packs rows as they come; {@link #build()} makes a block of what was added. */
  static final class Builder {
    private final Split split;
    private final int width;
    private final int capacity;
    private final int keptWidth;
    private long[] ids;
    private float[] features;
    private float[] labels;
    private float[] weights;
    private Object[] kept;
    private int n;

    Builder(Split split, int width, int capacity) {
      this(split, width, capacity, 0);
    }

    /** @param keptWidth how many input values each row carries along (see {@link #add(long, float, float, Object[])}) */
    Builder(Split split, int width, int capacity, int keptWidth) {
      this.split = split;
      this.width = width;
      this.capacity = capacity;
      this.keptWidth = keptWidth;
    }

    /** Allocates the arrays of the next block when they are first needed. */
    private void ensure() {
      if (ids != null) {
        return;
      }
      ids = new long[capacity];
      features = new float[capacity * width];
      labels = new float[capacity];
      weights = new float[capacity];
      kept = new Object[capacity * keptWidth];
      n = 0;
    }

    /** The feature slice where the next row's features go (write them, then call {@link #add}). */
    float[] features() {
      ensure();
      return features;
    }

    /** Where the next row's features start in {@link #features()}. */
    int offset() {
      return n * width;
    }

    void add(long id, float label, float weight) {
      add(id, label, weight, NOTHING_KEPT);
    }

    /** Adds a row whose features were written, with the {@code keptWidth} input values it carries along. */
    void add(long id, float label, float weight, Object[] keptValues) {
      ensure();
      System.arraycopy(keptValues, 0, kept, n * keptWidth, keptWidth);
      ids[n] = id;
      labels[n] = label;
      weights[n] = weight;
      n++;
    }

    boolean full() {
      return n == capacity;
    }

    boolean isEmpty() {
      return n == 0;
    }

    ExampleBlock build() {
      ensure();
      ExampleBlock b = n == capacity
          ? new ExampleBlock(split, width, ids, features, labels, weights, keptWidth, kept)
          : new ExampleBlock(split, width, java.util.Arrays.copyOf(ids, n), java.util.Arrays.copyOf(features, n * width),
              java.util.Arrays.copyOf(labels, n), java.util.Arrays.copyOf(weights, n), keptWidth,
              java.util.Arrays.copyOf(kept, n * keptWidth));
      ids = null;
      features = null;
      labels = null;
      weights = null;
      kept = null;
      n = 0;
      return b;
    }
  }
}
