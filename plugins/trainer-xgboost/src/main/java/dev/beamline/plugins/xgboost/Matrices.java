package dev.beamline.plugins.xgboost;

import dev.beamline.spi.model.FeatureMatrix;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Builds XGBoost's DMatrix from a {@link FeatureMatrix}; NaN and absent entries are missing. */
final class Matrices {
  private Matrices() {}

  static DMatrix toDMatrix(FeatureMatrix m) throws XGBoostError {
    DMatrix d = m.isSparse()
        ? new DMatrix(m.rowOffsets(), m.indices(), m.values(), DMatrix.SparseType.CSR, m.columns(), Float.NaN, 0)
        : new DMatrix(m.values(), m.rows(), m.columns(), Float.NaN);
    d.setLabel(m.labels());
    if (m.weights() != null) {
      d.setWeight(m.weights());
    }
    return d;
  }
}
