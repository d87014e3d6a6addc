package dev.beamline.core.tune;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mean and standard deviation of each metric over a trial's folds. The standard deviation is the
 * population one (divided by k), as scikit-learn's {@code cv_results_} and XGBoost's {@code cv} report it.
 *
 * @param mean each metric's mean (NaN when a fold lacks it)
 * @param std each metric's standard deviation
 */
public record FoldStats(Map<String, Double> mean, Map<String, Double> std) {
  /** The statistics of the folds' metrics. */
  public static FoldStats of(List<Map<String, Double>> folds) {
    TreeSet<String> names = new TreeSet<>();
    folds.forEach(f -> names.addAll(f.keySet()));
    Map<String, Double> mean = new TreeMap<>();
    Map<String, Double> std = new TreeMap<>();
    for (String name : names) {
      double sum = 0;
      for (Map<String, Double> f : folds) {
        sum += f.getOrDefault(name, Double.NaN);
      }
      double m = sum / folds.size();
      double squares = 0;
      for (Map<String, Double> f : folds) {
        double d = f.getOrDefault(name, Double.NaN) - m;
        squares += d * d;
      }
      mean.put(name, m);
      std.put(name, Math.sqrt(squares / folds.size()));
    }
    return new FoldStats(mean, std);
  }
}
