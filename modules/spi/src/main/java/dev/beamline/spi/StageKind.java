package dev.beamline.spi;

/** The kinds of pipeline stage a plugin can provide. */
public enum StageKind {
  /** Reads input data: {@link SourceFactory}. */
  SOURCE,
  /** Fits and applies a feature transform step: {@link FeatureFactory}. */
  FEATURE,
  /** Trains a model: {@link TrainerFactory}. */
  TRAINER,
  /** Computes metrics of predictions: {@link EvaluatorFactory}. */
  EVALUATOR,
  /** Records runs in a tracking backend: {@link dev.beamline.spi.tracking.TrackerFactory}. */
  TRACKER;

  /** The kind's name as written in messages and listings ({@code source}, {@code feature} ...). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
