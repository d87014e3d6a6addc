package dev.beamline.spi.feature;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The apply half of a feature transform step: what was fitted, applied element by element. Plain Java,
 * no Beam: batch scoring and the online server call the same code as training, so they cannot drift.
 *
 * <p>A column's steps form a chain. Each step takes the value the previous one passed on, may write
 * {@link #width()} features of its own into the output vector (a one-hot encoding, a missing
 * indicator) and passes a value on. When the chain ends with a {@link ValueType#NUMBER}, that number is
 * one more feature; a chain must not end with {@link ValueType#TEXT}.
 *
 * <p>Implementations are immutable and thread-safe: one instance serves many threads.
 */
public interface FittedStep extends Serializable {
  /** The type this step passes on. */
  ValueType outputType();

  /** How many features this step writes itself (0 for a step that only maps the value). */
  default int width() {
    return 0;
  }

  /** The names of the {@link #width()} features this step writes, given the column's name. */
  default List<String> featureNames(String column) {
    return List.of();
  }

  /**
   * Applies the step.
   *
   * @param value a {@code Double} (NaN when missing), a {@code String} (null when missing) or a
   *     {@code SparseVector}, as the previous step passed it on
   * @param out the feature vector; this step writes {@link #width()} values from {@code offset}
   * @param offset where this step's own features start
   * @return the value passed on to the next step ({@code null} for {@link ValueType#ENCODED})
   */
  Object apply(Object value, float[] out, int offset);

  /**
   * Whether {@code value} lies outside what this step was fitted on, e.g. a category that is not in a
   * vocabulary. The step still applies such a value as training did (the out-of-vocabulary bucket); scoring
   * calls this to report the row, or to reject it when the caller asks. Missing values are never unseen.
   * The default: nothing is unseen (stateless steps, hashing).
   *
   * @param value what {@link #apply} would receive
   */
  default boolean isUnseen(Object value) {
    return false;
  }

  /** What was fitted, as JSON-able values (numbers, strings, booleans, lists and maps of them). */
  Map<String, Object> state();
}
