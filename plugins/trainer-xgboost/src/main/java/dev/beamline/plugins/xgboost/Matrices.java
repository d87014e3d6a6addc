package dev.beamline.plugins.xgboost;

import dev.beamline.spi.model.FeatureMatrix;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Builds XGBoost's DMatrix from a {@link FeatureMatrix}; NaN and absent entries are missing. */
final class Matrices {
  private Matrices() {}

  /** A matrix for training or evaluation: features, labels and weights. */
  static DMatrix toDMatrix(FeatureMatrix m) throws XGBoostError {
    DMatrix d = features(m);
    d.setLabel(m.labels());
    if (m.weights() != null) {
      d.setWeight(m.weights());
    }
    return d;
  }

  /** A matrix of the features only, for prediction: labels are ignored (they are NaN when scoring new rows). */
  static DMatrix features(FeatureMatrix m) throws XGBoostError {
    return m.isSparse()
        ? new DMatrix(m.rowOffsets(), m.indices(), m.values(), DMatrix.SparseType.CSR, m.columns(), Float.NaN, 0)
        : new DMatrix(m.values(), m.rows(), m.columns(), Float.NaN);
  }
}
