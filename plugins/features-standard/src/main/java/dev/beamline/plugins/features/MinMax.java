package dev.beamline.plugins.features;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/** Minimum and maximum of the present values. */
final class MinMax extends Combine.CombineFn<Object, MinMax.Acc, Map<String, Object>> {
  private static final long serialVersionUID = 1L;

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    long count;
    long missing;
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, Object input) {
    double x = input == null ? Double.NaN : ((Number) input).doubleValue();
    if (Double.isNaN(x)) {
      acc.missing++;
    } else {
      acc.count++;
      acc.min = Math.min(acc.min, x);
      acc.max = Math.max(acc.max, x);
    }
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.count += a.count;
      out.missing += a.missing;
      out.min = Math.min(out.min, a.min);
      out.max = Math.max(out.max, a.max);
    }
    return out;
  }

  @Override
  public Map<String, Object> extractOutput(Acc acc) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("min", acc.count == 0 ? 0.0 : acc.min);
    s.put("max", acc.count == 0 ? 0.0 : acc.max);
    s.put("count", acc.count);
    s.put("missing", acc.missing);
    return s;
  }
}
