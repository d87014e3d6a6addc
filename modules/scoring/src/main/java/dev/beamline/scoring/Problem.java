package dev.beamline.scoring;

import java.util.Locale;

/**
 * Why a row cannot be scored exactly as training saw rows. Each has a {@link ScoringPolicy.Action}: score
 * the row anyway (and report it) or reject it.
 */
public enum Problem {
  /** A feature column is absent from the row (a {@code null} value is a missing value, not this). Scored: as missing. */
  MISSING_COLUMN,
  /** A value of the wrong type, e.g. text in a numeric column. Scored: as missing. */
  WRONG_TYPE,
  /** A category the fitted transform has not seen (outside its vocabulary). Scored: out-of-vocabulary, as in training. */
  UNSEEN_CATEGORY,
  /** A number outside the range its column took in the training split. Scored: as it is. */
  OUT_OF_RANGE;

  /** The lower-case name used in messages, metrics and options, e.g. {@code unseen_category}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The problem of that label; throws naming the labels when there is none. */
  public static Problem of(String label) {
    for (Problem p : values()) {
      if (p.label().equals(label.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown problem '" + label + "'; known: missing_column, wrong_type, unseen_category, out_of_range");
  }
}
