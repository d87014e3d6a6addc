package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Binary classification metrics from the exact weighted histogram of scores: for each distinct
 * predicted probability, the weight of positives and negatives. Every metric is computed from that
 * histogram in score order, so the result does not depend on how a runner partitioned the rows.
 */
final class BinaryMetrics extends Combine.CombineFn<Scored, BinaryMetrics.Acc, Map<String, Double>> {
  private static final long serialVersionUID = 1L;
  private static final double EPS = 1e-15;

  private final List<String> wanted;
  private final double threshold;
  private final int bins;

  BinaryMetrics(List<String> wanted, double threshold, int bins) {
    this.wanted = List.copyOf(wanted);
    this.threshold = threshold;
    this.bins = bins;
  }

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    final HashMap<Float, double[]> byScore = new HashMap<>();
    long rows;
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, Scored s) {
    double[] w = acc.byScore.computeIfAbsent(s.prediction()[0], k -> new double[2]);
    w[s.label() > 0.5 ? 1 : 0] += s.weight();
    acc.rows++;
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      out.rows += a.rows;
      a.byScore.forEach((k, v) -> {
        double[] w = out.byScore.computeIfAbsent(k, x -> new double[2]);
        w[0] += v[0];
        w[1] += v[1];
      });
    }
    return out;
  }

  @Override
  public Map<String, Double> extractOutput(Acc acc) {
    List<Float> scores = new ArrayList<>(acc.byScore.keySet());
    scores.sort(null);
    double pos = 0;
    double neg = 0;
    double logloss = 0;
    double tp = 0;
    double fp = 0;
    double[] binCount = new double[bins];
    double[] binPositive = new double[bins];
    double[] binConfidence = new double[bins];
    for (float score : scores) {
      double[] w = acc.byScore.get(score);
      double p = Math.min(Math.max(score, EPS), 1 - EPS);
      neg += w[0];
      pos += w[1];
      logloss -= w[1] * Math.log(p) + w[0] * Math.log(1 - p);
      if (score >= threshold) {
        tp += w[1];
        fp += w[0];
      }
      int b = Math.min(bins - 1, (int) (score * bins));
      binCount[b] += w[0] + w[1];
      binPositive[b] += w[1];
      binConfidence[b] += score * (w[0] + w[1]);
    }
    double total = pos + neg;
    // AUC and average precision: walk the scores from the highest down.
    double auc = 0;
    double ap = 0;
    double cumPos = 0;
    double cumNeg = 0;
    for (int i = scores.size() - 1; i >= 0; i--) {
      double[] w = acc.byScore.get(scores.get(i));
      // Ties count half (the trapezoid between the ROC points).
      auc += w[0] * (cumPos + w[1] / 2);
      cumPos += w[1];
      cumNeg += w[0];
      if (w[1] > 0) {
        ap += (w[1] / pos) * (cumPos / (cumPos + cumNeg));
      }
    }
    double fn = pos - tp;
    double tn = neg - fp;
    Map<String, Double> all = new LinkedHashMap<>();
    all.put("auc", pos > 0 && neg > 0 ? auc / (pos * neg) : Double.NaN);
    all.put("aucpr", pos > 0 ? ap : Double.NaN);
    all.put("logloss", total > 0 ? logloss / total : Double.NaN);
    all.put("error", total > 0 ? (fp + fn) / total : Double.NaN);
    all.put("accuracy", total > 0 ? (tp + tn) / total : Double.NaN);
    double precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
    double recall = pos > 0 ? tp / pos : 0.0;
    all.put("precision", precision);
    all.put("recall", recall);
    all.put("f1", precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
    double ece = 0;
    for (int b = 0; b < bins; b++) {
      if (binCount[b] > 0) {
        ece += Math.abs(binPositive[b] - binConfidence[b]) / total;
      }
    }
    all.put("ece", total > 0 ? ece : Double.NaN);
    Map<String, Double> out = new LinkedHashMap<>();
    wanted.forEach(m -> out.put(m, all.get(m)));
    out.put("rows", (double) acc.rows);
    return out;
  }
}
