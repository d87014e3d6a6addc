package dev.beamline.spi.model;

/** The learning task. */
public enum TaskType {
  /** Two classes, labels 0 and 1; one prediction per row: the probability of class 1. */
  BINARY,
  /** k classes, labels 0..k-1; k predictions per row: class probabilities. */
  MULTICLASS,
  /** A real-valued target; one prediction per row. */
  REGRESSION
}
