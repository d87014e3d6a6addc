package dev.beamline.statistics;

import java.io.Serializable;

/**
 * What the statistics keep and show.
 *
 * @param topValues how many of a categorical column's most frequent values the summary lists first
 * @param histogramBins how many equal-width bins a numeric column's histogram has
 * @param relativeAccuracy the quantile sketch's accuracy: a quantile is within this fraction of a true one
 * @param maxValues the most distinct values a categorical column is counted exactly for; past it the column
 *     is taken to be free text and only its distinct count is estimated
 */
public record StatisticsOptions(int topValues, int histogramBins, double relativeAccuracy, int maxValues) implements Serializable {
  /** 20 top values, 10 bins, 1% quantiles, exact counts up to 10,000 distinct values. */
  public static final StatisticsOptions DEFAULT = new StatisticsOptions(20, 10, 0.01, 10_000);

  public StatisticsOptions {
    if (topValues < 0) {
      throw new IllegalArgumentException("topValues must be at least 0");
    }
    if (histogramBins < 1) {
      throw new IllegalArgumentException("histogramBins must be at least 1");
    }
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) {
      throw new IllegalArgumentException("relativeAccuracy must be between 0 and 1");
    }
    if (maxValues < 1) {
      throw new IllegalArgumentException("maxValues must be at least 1");
    }
  }
}
