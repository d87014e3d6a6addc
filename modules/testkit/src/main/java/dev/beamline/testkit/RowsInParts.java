package dev.beamline.testkit;

import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.TrainingRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A dense matrix's rows handed over in parts of given sizes, as the host hands a trainer its blocks: for testing a
 * trainer that reads {@link TrainingRows} part by part against the same rows as one matrix.
 */
public final class RowsInParts implements TrainingRows {
  private final FeatureMatrix whole;
  private final List<FeatureMatrix> parts;

  private RowsInParts(FeatureMatrix whole, List<FeatureMatrix> parts) {
    this.whole = whole;
    this.parts = List.copyOf(parts);
  }

  /**
   * {@code m}'s rows in parts of {@code sizes} rows, in turn and over again until every row is in a part (sizes of 0
   * make empty parts, which a trainer must pass over).
   */
  public static RowsInParts of(FeatureMatrix m, int... sizes) {
    if (m.isSparse()) {
      throw new IllegalArgumentException("RowsInParts parts dense matrices");
    }
    if (sizes.length == 0 || Arrays.stream(sizes).sum() <= 0 || Arrays.stream(sizes).anyMatch(s -> s < 0)) {
      throw new IllegalArgumentException("part sizes must be >= 0 with a positive sum: " + Arrays.toString(sizes));
    }
    List<FeatureMatrix> parts = new ArrayList<>();
    int w = m.columns();
    for (int from = 0, k = 0; from < m.rows(); k++) {
      int to = Math.min(m.rows(), from + sizes[k % sizes.length]);
      parts.add(new FeatureMatrix(to - from, w, m.featureNames(), null, null, Arrays.copyOfRange(m.values(), from * w, to * w),
          Arrays.copyOfRange(m.labels(), from, to), m.weights() == null ? null : Arrays.copyOfRange(m.weights(), from, to)));
      from = to;
    }
    return new RowsInParts(m, parts);
  }

  /** The number of parts. */
  public int size() {
    return parts.size();
  }

  @Override
  public int rows() {
    return whole.rows();
  }

  @Override
  public int columns() {
    return whole.columns();
  }

  @Override
  public List<String> featureNames() {
    return whole.featureNames();
  }

  @Override
  public boolean isSparse() {
    return false;
  }

  @Override
  public boolean weighted() {
    return whole.weighted();
  }

  @Override
  public Iterator<FeatureMatrix> parts() {
    return parts.iterator();
  }

  /** The rows as one matrix (the one they were parted from). */
  @Override
  public FeatureMatrix matrix() {
    return whole;
  }
}
