package dev.beamline.spi.model;

import java.util.Iterator;
import java.util.List;

/**
 * Training or validation rows as the host hands them to a trainer: their shape, and the rows themselves in row
 * order, either part by part ({@link #parts()}) or all at once ({@link #matrix()}).
 *
 * <p>The host keeps transformed rows in blocks; passed on as they are, a trainer that can take rows part by part
 * (XGBoost's quantile matrix) never holds a second, whole copy of them, which at 4M rows of 142 features is 1.8 GB
 * of a worker's heap. A trainer that needs every row in one array asks for {@link #matrix()}, which joins the parts
 * (the default of {@link Trainer#train(TrainingRows, TrainingRows)} does just that). A {@link FeatureMatrix} is
 * training rows of one part.
 */
public interface TrainingRows {
  /** The number of rows. */
  int rows();

  /** The number of features. */
  int columns();

  /** The names of the features, {@link #columns()} of them. */
  List<String> featureNames();

  /** Whether the parts are in compressed sparse row form. */
  boolean isSparse();

  /** Whether the rows have weights ({@link FeatureMatrix#weights()} is then non-null in every part). */
  boolean weighted();

  /**
   * The rows in order, as consecutive matrices of some of them (each with its labels and, if {@link #weighted()},
   * weights). Every call starts again from the first row; a part's arrays may be read only, and only until the
   * iterator moves on. Reading a part may fail with an {@link java.io.UncheckedIOException}.
   */
  Iterator<FeatureMatrix> parts();

  /** Every row as one matrix: the parts joined (a copy, unless there is one part). */
  FeatureMatrix matrix() throws java.io.IOException;
}
