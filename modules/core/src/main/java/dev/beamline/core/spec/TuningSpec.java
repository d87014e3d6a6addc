package dev.beamline.core.spec;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The {@code tuning} section: a search over the trainer's settings, each trial scored by cross-validation
 * (or on the validation split), the best retrained on the whole training split.
 *
 * @param strategy {@code random} (values drawn with the pipeline's seed), {@code grid} (every combination) or
 *     {@code halving} (random draws, then successive halving over boosting rounds)
 * @param trials how many trials: random draws this many; a grid larger than this runs a seeded sample of it;
 *     0 with {@code grid}: the whole grid
 * @param maxMinutes a wall-time budget: a trial that has not started when it is spent is skipped (0: none)
 * @param metric the evaluator metric trials are ranked by
 * @param maximize whether a higher metric is better
 * @param folds k of k-fold cross-validation, or 0 to score trials on the pipeline's validation split
 * @param stratified whether folds keep the classes' proportions (classification only)
 * @param groupBy a column whose rows always share a fold, or null
 * @param space the searched settings, keyed by their path in the trainer section ({@code rounds}, {@code params.eta})
 * @param reduction halving only: each rung keeps the best {@code 1/reduction} of its trials, with {@code reduction}
 *     times the rounds; 0 for the other strategies
 * @param path where the section is ({@code tuning}), for messages
 */
public record TuningSpec(String strategy, int trials, double maxMinutes, String metric, boolean maximize, int folds,
    boolean stratified, String groupBy, Map<String, Dimension> space, int reduction, String path) implements Serializable {
  private static final long serialVersionUID = 1L;

  public TuningSpec {
    space = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(space));
  }

  /** Whether the trials are scored on the validation split rather than on folds. */
  public boolean onValidationSplit() {
    return folds == 0;
  }

  /** Scores best first by the direction (higher or lower); NaN, a score that could not be computed, last. */
  public java.util.Comparator<Double> ranking() {
    return (a, b) -> Double.isNaN(a) || Double.isNaN(b) ? Boolean.compare(Double.isNaN(a), Double.isNaN(b))
        : maximize ? Double.compare(b, a) : Double.compare(a, b);
  }

  /** Whether {@code score} is strictly better than {@code than} by the direction (any number beats NaN). */
  public boolean better(double score, double than) {
    return ranking().compare(score, than) < 0;
  }

  /** How trials are scored, in words: {@code 3-fold stratified}, {@code 5-fold grouped by user}, {@code the validation split}. */
  public String validation() {
    return onValidationSplit() ? "the validation split"
        : folds + "-fold" + (groupBy != null ? " grouped by " + groupBy : stratified ? " stratified" : "");
  }

  /**
   * One searched setting.
   *
   * @param kind {@code choice}, {@code uniform}, {@code logUniform} or {@code intRange}
   * @param values the choices (choice only)
   * @param low the lowest value (ranges)
   * @param high the highest value (ranges; inclusive for intRange)
   * @param key the setting's key in the pipeline file ({@code tuning.space.params.eta}), for messages
   */
  public record Dimension(String kind, List<Object> values, double low, double high, String key) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Dimension {
      values = values == null ? List.of() : List.copyOf(values);
    }

    /** How many values a grid takes from this setting (choice and intRange only; -1 for the continuous ones). */
    public long gridSize() {
      return switch (kind) {
        case "choice" -> values.size();
        case "intRange" -> (long) high - (long) low + 1;
        default -> -1;
      };
    }
  }
}
