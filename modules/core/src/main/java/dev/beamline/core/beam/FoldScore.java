package dev.beamline.core.beam;

import dev.beamline.core.tune.FoldStats;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What one trial scored on one fold: the evaluator's metrics on the fold's held-out rows, and how training went.
 *
 * @param trial the trial's index in the plan
 * @param rung the rung of the search (0 but with successive halving)
 * @param fold the fold (0 when the trials are scored on the validation split)
 * @param metrics the evaluator's metrics on the held-out rows; empty when the trial was skipped
 * @param bestIteration the boosting round kept (early stopping), or -1
 * @param iterations the rounds trained
 * @param seconds the wall time of training and scoring
 * @param trainRows the rows trained on
 * @param heldOutRows the rows scored
 * @param history the trainer's per-round metrics, as {@code history.json} writes them
 * @param skipped whether the trial did not run because the search's time budget was spent
 */
record FoldScore(int trial, int rung, int fold, Map<String, Double> metrics, int bestIteration, int iterations, double seconds, int trainRows,
    int heldOutRows, Map<String, Object> history, boolean skipped) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** As {@code tuning/trials.json} and the task's report write it. */
  Map<String, Object> toJson() {
    Map<String, Object> f = new java.util.LinkedHashMap<>();
    f.put("rung", rung);
    f.put("fold", fold);
    f.put("skipped", skipped);
    f.put("metrics", new java.util.TreeMap<>(metrics));
    f.put("bestIteration", bestIteration);
    f.put("iterations", iterations);
    f.put("trainRows", trainRows);
    f.put("heldOutRows", heldOutRows);
    f.put("seconds", seconds);
    f.put("history", history);
    return f;
  }

  /**
   * A trial's score on one rung: the mean over its folds of {@code metric}; NaN when a fold was skipped or has no
   * such metric. What halving promotes by and the search picks its winner by.
   */
  static double mean(List<FoldScore> folds, String metric) {
    return folds.isEmpty() || folds.stream().anyMatch(FoldScore::skipped) ? Double.NaN
        : FoldStats.of(folds.stream().map(FoldScore::metrics).toList()).mean().getOrDefault(metric, Double.NaN);
  }

  static FoldScore skipped(int trial, int rung, int fold) {
    return new FoldScore(trial, rung, fold, Map.of(), -1, 0, 0, 0, 0, Map.of(), true);
  }
}
