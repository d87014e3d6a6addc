package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/** Multi-class metrics from a weighted confusion matrix and the summed log loss. */
final class MultiClassMetrics extends Combine.CombineFn<Scored, MultiClassMetrics.Acc, Map<String, Double>> {
  private static final long serialVersionUID = 1L;
  private static final double EPS = 1e-15;

  private final List<String> wanted;
  private final int k;

  MultiClassMetrics(List<String> wanted, int k) {
    this.wanted = List.copyOf(wanted);
    this.k = k;
  }

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    double[][] confusion;
    double logloss;
    double weight;
    long rows;
  }

  @Override
  public Acc createAccumulator() {
    Acc a = new Acc();
    a.confusion = new double[k][k];
    return a;
  }

  @Override
  public Acc addInput(Acc acc, Scored s) {
    float[] p = s.prediction();
    int predicted = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[predicted]) {
        predicted = i;
      }
    }
    int label = (int) s.label();
    acc.confusion[label][predicted] += s.weight();
    acc.logloss -= s.weight() * Math.log(Math.min(Math.max(p[label], EPS), 1 - EPS));
    acc.weight += s.weight();
    acc.rows++;
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = createAccumulator();
    for (Acc a : accs) {
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < k; j++) {
          out.confusion[i][j] += a.confusion[i][j];
        }
      }
      out.logloss += a.logloss;
      out.weight += a.weight;
      out.rows += a.rows;
    }
    return out;
  }

  @Override
  public Map<String, Double> extractOutput(Acc acc) {
    double correct = 0;
    double f1Sum = 0;
    int classesSeen = 0;
    for (int c = 0; c < k; c++) {
      correct += acc.confusion[c][c];
      double actual = 0;
      double predicted = 0;
      for (int j = 0; j < k; j++) {
        actual += acc.confusion[c][j];
        predicted += acc.confusion[j][c];
      }
      if (actual > 0 || predicted > 0) {
        classesSeen++;
        double precision = predicted > 0 ? acc.confusion[c][c] / predicted : 0;
        double recall = actual > 0 ? acc.confusion[c][c] / actual : 0;
        f1Sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
      }
    }
    Map<String, Double> all = new LinkedHashMap<>();
    all.put("accuracy", acc.weight > 0 ? correct / acc.weight : Double.NaN);
    all.put("error", acc.weight > 0 ? 1 - correct / acc.weight : Double.NaN);
    all.put("macro_f1", classesSeen > 0 ? f1Sum / classesSeen : Double.NaN);
    all.put("mlogloss", acc.weight > 0 ? acc.logloss / acc.weight : Double.NaN);
    Map<String, Double> out = new LinkedHashMap<>();
    wanted.forEach(m -> out.put(m, all.get(m)));
    out.put("rows", (double) acc.rows);
    return out;
  }
}
