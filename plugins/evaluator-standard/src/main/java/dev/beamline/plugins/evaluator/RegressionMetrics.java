package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/** rmse, mae and r2 from weighted sums. */
final class RegressionMetrics extends Combine.CombineFn<Scored, RegressionMetrics.Acc, Map<String, Double>> {
  private static final long serialVersionUID = 1L;

  private final List<String> wanted;

  RegressionMetrics(List<String> wanted) {
    this.wanted = List.copyOf(wanted);
  }

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    double weight;
    double sumY;
    double sumY2;
    double sumSquaredError;
    double sumAbsoluteError;
    long rows;
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, Scored s) {
    double w = s.weight();
    double y = s.label();
    double e = s.prediction()[0] - y;
    acc.weight += w;
    acc.sumY += w * y;
    acc.sumY2 += w * y * y;
    acc.sumSquaredError += w * e * e;
    acc.sumAbsoluteError += w * Math.abs(e);
    acc.rows++;
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.weight += a.weight;
      out.sumY += a.sumY;
      out.sumY2 += a.sumY2;
      out.sumSquaredError += a.sumSquaredError;
      out.sumAbsoluteError += a.sumAbsoluteError;
      out.rows += a.rows;
    }
    return out;
  }

  @Override
  public Map<String, Double> extractOutput(Acc acc) {
    Map<String, Double> all = new LinkedHashMap<>();
    double w = acc.weight;
    all.put("rmse", w > 0 ? Math.sqrt(acc.sumSquaredError / w) : Double.NaN);
    all.put("mae", w > 0 ? acc.sumAbsoluteError / w : Double.NaN);
    double total = acc.sumY2 - acc.sumY * acc.sumY / w;
    all.put("r2", w > 0 && total > 0 ? 1 - acc.sumSquaredError / total : Double.NaN);
    Map<String, Double> out = new LinkedHashMap<>();
    wanted.forEach(m -> out.put(m, all.get(m)));
    out.put("rows", (double) acc.rows);
    return out;
  }
}
