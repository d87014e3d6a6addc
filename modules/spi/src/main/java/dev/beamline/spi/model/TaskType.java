package dev.beamline.spi.model;

/** The learning task. */
public enum TaskType {
  /** Two classes, labels 0 and 1; one prediction per row: the probability of class 1. */
  BINARY,
  /** k classes, labels 0..k-1; k predictions per row: class probabilities. */
  MULTICLASS,
  /** A real-valued target; one prediction per row. */
  REGRESSION,
  /**
   * Rows grouped into clusters the model finds; no label is needed (a label column, when the pipeline names one, is
   * a reference the clusters are compared with). Two predictions per row: the cluster (0, 1, ...) and the squared
   * distance from the row to that cluster's centre, in the model's feature space.
   */
  CLUSTERING
}
