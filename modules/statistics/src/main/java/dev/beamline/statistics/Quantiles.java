package dev.beamline.statistics;

import com.datadoghq.sketch.ddsketch.DDSketch;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Quantiles of a numeric column read from its summary in {@code statistics.json}. */
public final class Quantiles {
  private Quantiles() {}

  /**
   * The cuts that split a numeric column into {@code buckets} buckets of about equal counts, from its summary:
   * the quantiles at 1/buckets, 2/buckets ..., each written with as few significant digits as the sketch's
   * relative accuracy allows (an age quartile is 37, not 36.93), ascending, without repeats (a column that is
   * mostly zeros has fewer buckets). Empty when the column had no values.
   */
  public static List<Double> cuts(Map<String, Object> column, int buckets) {
    List<Double> cuts = new ArrayList<>();
    if (!(column.get("count") instanceof Number n) || n.longValue() == 0) {
      return cuts;
    }
    DDSketch sketch = NumericStatistics.sketchOf(column);
    double accuracy = sketch.getIndexMapping().relativeAccuracy();
    for (int i = 1; i < buckets; i++) {
      double cut = shortest(sketch.getValueAtQuantile((double) i / buckets), accuracy);
      if (cuts.isEmpty() || cut > cuts.get(cuts.size() - 1)) {
        cuts.add(cut);
      }
    }
    return cuts;
  }

  /** The number with the fewest significant digits within {@code accuracy} (relative) of {@code value}. */
  static double shortest(double value, double accuracy) {
    if (value == 0 || !Double.isFinite(value)) {
      return value;
    }
    for (int digits = 1; digits < 17; digits++) {
      double r = new BigDecimal(value).round(new MathContext(digits)).doubleValue();
      if (Math.abs(r - value) <= accuracy * Math.abs(value)) {
        return r;
      }
    }
    return value;
  }

}
