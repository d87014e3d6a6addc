package dev.beamline.core.beam;

import dev.beamline.spi.model.FeatureMatrix;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Packs example blocks into a dense row-major {@link FeatureMatrix}. */
final class Matrices {
  private Matrices() {}

  /** One block as a matrix, rows in block order. */
  static FeatureMatrix of(ExampleBlock b, List<String> names, boolean weighted) {
    return new FeatureMatrix(b.rows(), b.width(), names, null, null, b.features(), b.labels(), weighted ? b.weights() : null);
  }

  /** Blocks as one matrix with rows ordered by id, whatever order the blocks and rows came in. */
  static FeatureMatrix byId(List<ExampleBlock> blocks, int width, List<String> names, boolean weighted) {
    int n = 0;
    for (ExampleBlock b : blocks) {
      if (b.width() != width) {
        throw new IllegalStateException("a block has " + b.width() + " features, expected " + width);
      }
      n += b.rows();
    }
    long[] ids = new long[n];
    int[] blockOf = new int[n];
    int[] rowOf = new int[n];
    int at = 0;
    for (int k = 0; k < blocks.size(); k++) {
      ExampleBlock b = blocks.get(k);
      for (int r = 0; r < b.rows(); r++) {
        ids[at] = b.ids()[r];
        blockOf[at] = k;
        rowOf[at] = r;
        at++;
      }
    }
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingLong(i -> ids[i]));
    float[] values = new float[n * width];
    float[] labels = new float[n];
    float[] weights = weighted ? new float[n] : null;
    for (int i = 0; i < n; i++) {
      ExampleBlock b = blocks.get(blockOf[order[i]]);
      int r = rowOf[order[i]];
      System.arraycopy(b.features(), r * width, values, i * width, width);
      labels[i] = b.labels()[r];
      if (weights != null) {
        weights[i] = b.weights()[r];
      }
    }
    return new FeatureMatrix(n, width, names, null, null, values, labels, weights);
  }
}
