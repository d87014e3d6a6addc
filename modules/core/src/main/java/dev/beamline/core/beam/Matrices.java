package dev.beamline.core.beam;

import dev.beamline.spi.model.FeatureMatrix;
import java.util.List;

/** Packs examples into a dense row-major {@link FeatureMatrix}. */
final class Matrices {
  private Matrices() {}

  static FeatureMatrix dense(List<Example> rows, int width, List<String> names, boolean weighted) {
    float[] values = new float[rows.size() * width];
    float[] labels = new float[rows.size()];
    float[] weights = weighted ? new float[rows.size()] : null;
    for (int i = 0; i < rows.size(); i++) {
      Example e = rows.get(i);
      if (e.features().length != width) {
        throw new IllegalStateException("row " + e.id() + " has " + e.features().length + " features, expected " + width);
      }
      System.arraycopy(e.features(), 0, values, i * width, width);
      labels[i] = e.label();
      if (weights != null) {
        weights[i] = e.weight();
      }
    }
    return new FeatureMatrix(rows.size(), width, names, null, null, values, labels, weights);
  }
}
