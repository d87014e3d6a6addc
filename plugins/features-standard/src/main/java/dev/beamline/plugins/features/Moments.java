package dev.beamline.plugins.features;

import dev.beamline.features.ExactSum;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Count, mean and population standard deviation of the present values, with missing values counted.
 * Sums are exact ({@link ExactSum}): the result does not depend on how a runner splits and merges the data,
 * so every runner fits the same numbers to the last bit.
 */
class Moments extends Combine.CombineFn<Object, Moments.Acc, Map<String, Object>> {
  private static final long serialVersionUID = 1L;

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    long missing;
    final ExactSum sum = new ExactSum();
    final ExactSum sumSquares = new ExactSum();
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, Object input) {
    double x = input == null ? Double.NaN : ((Number) input).doubleValue();
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      acc.missing++;
    } else {
      acc.count++;
      acc.sum.add(x);
      acc.sumSquares.addSquare(x);
    }
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.count += a.count;
      out.missing += a.missing;
      out.sum.add(a.sum);
      out.sumSquares.add(a.sumSquares);
    }
    return out;
  }

  @Override
  public Map<String, Object> extractOutput(Acc acc) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (acc.count == 0) {
      s.put("mean", 0.0);
      s.put("std", 0.0);
    } else {
      BigDecimal n = BigDecimal.valueOf(acc.count);
      BigDecimal mean = acc.sum.value().divide(n, MathContext.DECIMAL128);
      BigDecimal variance = acc.sumSquares.value().divide(n, MathContext.DECIMAL128).subtract(mean.multiply(mean));
      s.put("mean", mean.doubleValue());
      s.put("std", Math.sqrt(Math.max(0, variance.doubleValue())));
    }
    s.put("count", acc.count);
    s.put("missing", acc.missing);
    return s;
  }
}
