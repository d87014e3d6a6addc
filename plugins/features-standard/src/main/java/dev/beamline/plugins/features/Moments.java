package dev.beamline.plugins.features;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Count, mean and population standard deviation of the present values, with missing values counted.
 * Sums are exact (BigDecimal): the result does not depend on how a runner splits and merges the data,
 * so every runner fits the same numbers to the last bit.
 */
class Moments extends Combine.CombineFn<Object, Moments.Acc, Map<String, Object>> {
  private static final long serialVersionUID = 1L;

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    long count;
    long missing;
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal sumSquares = BigDecimal.ZERO;
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
      BigDecimal b = new BigDecimal(x);
      acc.count++;
      acc.sum = acc.sum.add(b);
      acc.sumSquares = acc.sumSquares.add(b.multiply(b));
    }
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.count += a.count;
      out.missing += a.missing;
      out.sum = out.sum.add(a.sum);
      out.sumSquares = out.sumSquares.add(a.sumSquares);
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
      BigDecimal mean = acc.sum.divide(n, MathContext.DECIMAL128);
      BigDecimal variance = acc.sumSquares.divide(n, MathContext.DECIMAL128).subtract(mean.multiply(mean));
      s.put("mean", mean.doubleValue());
      s.put("std", Math.sqrt(Math.max(0, variance.doubleValue())));
    }
    s.put("count", acc.count);
    s.put("missing", acc.missing);
    return s;
  }
}
