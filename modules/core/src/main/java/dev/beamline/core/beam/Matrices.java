package dev.beamline.core.beam;

import dev.beamline.spi.model.FeatureMatrix;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Packs example blocks into a dense row-major {@link FeatureMatrix}. */
final class Matrices {
  private Matrices() {}

  /** One block as a matrix, rows in block order. */
  static FeatureMatrix of(ExampleBlock b, List<String> names, boolean weighted) {
    return new FeatureMatrix(b.rows(), b.width(), names, null, null, b.features(), b.labels(), weighted ? b.weights() : null);
  }

  /**
   * Blocks as one matrix with rows ordered by id, whatever order the blocks and rows came in. The order is
   * worked out from the handles' ids before any block is read; each block is then read once and its rows
   * put in place, so no more than one block is held besides the matrix.
   */
  static FeatureMatrix byId(List<ExampleFile> files, int width, List<String> names, boolean weighted) throws IOException {
    return byId(files, sortedIds(files), width, names, weighted);
  }

  /** {@link #byId(List, int, List, boolean)} when the caller has the rows' ids already ({@link #sortedIds}). */
  static FeatureMatrix byId(List<ExampleFile> files, long[] sorted, int width, List<String> names, boolean weighted) throws IOException {
    int n = sorted.length;
    float[] values = new float[Math.multiplyExact(n, width)];
    float[] labels = new float[n];
    float[] weights = weighted ? new float[n] : null;
    for (ExampleFile f : files) {
      if (f.rows() == 0) {
        continue;
      }
      ExampleBlock b = f.read();
      if (b.width() != width) {
        throw new IllegalStateException("a block has " + b.width() + " features, expected " + width);
      }
      long[] ids = b.ids();
      int first = Arrays.binarySearch(sorted, ids[0]);
      if (inOrder(ids, sorted, first)) {
        // The usual case: the block's rows are consecutive in id order.
        System.arraycopy(b.features(), 0, values, first * width, ids.length * width);
        System.arraycopy(b.labels(), 0, labels, first, ids.length);
        if (weights != null) {
          System.arraycopy(b.weights(), 0, weights, first, ids.length);
        }
        continue;
      }
      for (int r = 0; r < ids.length; r++) {
        int i = Arrays.binarySearch(sorted, ids[r]);
        System.arraycopy(b.features(), r * width, values, i * width, width);
        labels[i] = b.labels()[r];
        if (weights != null) {
          weights[i] = b.weights()[r];
        }
      }
    }
    return new FeatureMatrix(n, width, names, null, null, values, labels, weights);
  }

  /** The ids of the blocks' rows, ascending: the order of {@link #byId}'s rows. */
  static long[] sortedIds(List<ExampleFile> files) {
    int n = 0;
    for (ExampleFile f : files) {
      n += f.rows();
    }
    long[] sorted = new long[n];
    int at = 0;
    for (ExampleFile f : files) {
      System.arraycopy(f.ids(), 0, sorted, at, f.rows());
      at += f.rows();
    }
    Arrays.sort(sorted);
    for (int i = 1; i < n; i++) {
      if (sorted[i] == sorted[i - 1]) {
        throw new IllegalStateException("row id " + sorted[i] + " reached training twice");
      }
    }
    return sorted;
  }

  /** Some rows of a matrix ({@code rows}, ascending), in their order. */
  static FeatureMatrix rows(FeatureMatrix m, int[] rows) {
    int width = m.columns();
    float[] values = new float[Math.multiplyExact(rows.length, width)];
    float[] labels = new float[rows.length];
    float[] weights = m.weights() == null ? null : new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(m.values(), rows[i] * width, values, i * width, width);
      labels[i] = m.labels()[rows[i]];
      if (weights != null) {
        weights[i] = m.weights()[rows[i]];
      }
    }
    return new FeatureMatrix(rows.length, width, m.featureNames(), null, null, values, labels, weights);
  }

  /** Whether {@code ids} are exactly {@code sorted[first ..]}, in order. */
  private static boolean inOrder(long[] ids, long[] sorted, int first) {
    if (first + ids.length > sorted.length) {
      return false;
    }
    for (int r = 0; r < ids.length; r++) {
      if (sorted[first + r] != ids[r]) {
        return false;
      }
    }
    return true;
  }
}
