package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Binary classification metrics from the exact weighted histogram of scores: for each distinct
 * predicted probability, the weight of positives and negatives. The accumulator keeps every row's score,
 * label and weight in primitive arrays; the histogram is built once, sorted, at the end, and every metric
 * is computed from it in score order, so the result does not depend on how a runner partitioned the rows.
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

  /** Every row's score, label and weight, in primitive arrays (cheap to add, merge and serialize). */
  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    transient float[] scores = new float[64];
    transient double[] weights = new double[64];
    transient boolean[] positive = new boolean[64];
    int n;

    void add(float score, boolean isPositive, double weight) {
      if (n == scores.length) {
        int size = Math.max(64, n * 2);
        scores = Arrays.copyOf(scores, size);
        weights = Arrays.copyOf(weights, size);
        positive = Arrays.copyOf(positive, size);
      }
      scores[n] = score;
      positive[n] = isPositive;
      weights[n] = weight;
      n++;
    }

    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
      out.defaultWriteObject();
      for (int i = 0; i < n; i++) {
        out.writeFloat(scores[i]);
        out.writeBoolean(positive[i]);
        out.writeDouble(weights[i]);
      }
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
      in.defaultReadObject();
      int size = Math.max(64, n);
      scores = new float[size];
      weights = new double[size];
      positive = new boolean[size];
      for (int i = 0; i < n; i++) {
        scores[i] = in.readFloat();
        positive[i] = in.readBoolean();
        weights[i] = in.readDouble();
      }
    }
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, Scored s) {
    acc.add(s.prediction()[0], s.label() > 0.5, s.weight());
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      for (int i = 0; i < a.n; i++) {
        out.add(a.scores[i], a.positive[i], a.weights[i]);
      }
    }
    return out;
  }

  /** The distinct scores in increasing order, with the weight of negatives [0] and positives [1] at each. */
  private static List<Float> histogram(Acc acc, List<double[]> weightsOut) {
    long[] keys = new long[acc.n];
    for (int i = 0; i < acc.n; i++) {
      int bits = Float.floatToIntBits(acc.scores[i]);
      int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
      keys[i] = ((long) sortable << 32) | i;
    }
    Arrays.sort(keys);
    List<Float> scores = new ArrayList<>();
    for (long key : keys) {
      int i = (int) key;
      float score = acc.scores[i];
      if (scores.isEmpty() || scores.get(scores.size() - 1) != score) {
        scores.add(score);
        weightsOut.add(new double[2]);
      }
      weightsOut.get(weightsOut.size() - 1)[acc.positive[i] ? 1 : 0] += acc.weights[i];
    }
    return scores;
  }

  @Override
  public Map<String, Double> extractOutput(Acc acc) {
    List<double[]> byScore = new ArrayList<>();
    List<Float> scores = histogram(acc, byScore);
    double pos = 0;
    double neg = 0;
    double logloss = 0;
    double tp = 0;
    double fp = 0;
    double[] binCount = new double[bins];
    double[] binPositive = new double[bins];
    double[] binConfidence = new double[bins];
    for (int k = 0; k < scores.size(); k++) {
      float score = scores.get(k);
      double[] w = byScore.get(k);
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
      double[] w = byScore.get(i);
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
    out.put("rows", (double) acc.n);
    return out;
  }
}
