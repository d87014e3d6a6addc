package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Binary classification metrics in a bounded accumulator, whatever the number of rows:
 *
 * <ul>
 *   <li>error, accuracy, precision, recall and f1 from exact weighted confusion counts at the threshold;
 *   <li>logloss from the summed per-row loss;
 *   <li>ece from {@code calibrationBins} equal-width bins;
 *   <li>auc and aucpr (average precision) from a histogram of {@value #BINS} bins over the score's
 *       log-odds in [-20, 20] (a resolution of 0.0006 in log-odds): rows in the same bin count as tied,
 *       which is how the figures differ from exact ones, if at all.
 * </ul>
 *
 * A bounded accumulator (at most about 1 MB, and a few kilobytes for a few hundred rows: {@link ScoreBins})
 * can travel through any runner's shuffle; exact AUC would need every distinct score in one record. Counts are added in bins, so the result does not depend on how a
 * runner partitions the rows (floating-point sums aside, at the 1e-15 level).
 */
final class BinaryMetrics extends Combine.CombineFn<Scored, BinaryMetrics.Acc, Map<String, Double>> {
  private static final long serialVersionUID = 1L;
  private static final double EPS = 1e-15;
  static final int BINS = 1 << 16;
  private static final double LOGIT_RANGE = 20;

  private final List<String> wanted;
  private final double threshold;
  private final int calibrationBins;

  BinaryMetrics(List<String> wanted, double threshold, int calibrationBins) {
    this.wanted = List.copyOf(wanted);
    this.threshold = threshold;
    this.calibrationBins = calibrationBins;
  }

  /** The histogram bin of a probability. */
  static int bin(double p) {
    double logit = Math.log(p) - Math.log1p(-p);
    double x = (Math.max(-LOGIT_RANGE, Math.min(LOGIT_RANGE, logit)) + LOGIT_RANGE) / (2 * LOGIT_RANGE);
    return Math.min(BINS - 1, (int) (x * BINS));
  }

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 2L;
    final ScoreBins scores = new ScoreBins(BINS);
    double[] calibrationCount;
    double[] calibrationPositive;
    double[] calibrationScore;
    double truePositive;
    double falsePositive;
    double trueNegative;
    double falseNegative;
    double loss;
    long rows;

    Acc(int calibrationBins) {
      calibrationCount = new double[calibrationBins];
      calibrationPositive = new double[calibrationBins];
      calibrationScore = new double[calibrationBins];
    }
  }

  @Override
  public Acc createAccumulator() {
    return new Acc(calibrationBins);
  }

  @Override
  public Acc addInput(Acc acc, Scored s) {
    double p = s.prediction()[0];
    double w = s.weight();
    boolean isPositive = s.label() > 0.5;
    acc.scores.add(bin(p), isPositive, w);
    double clipped = Math.min(Math.max(p, EPS), 1 - EPS);
    acc.loss -= w * (isPositive ? Math.log(clipped) : Math.log(1 - clipped));
    boolean predicted = p >= threshold;
    if (predicted && isPositive) {
      acc.truePositive += w;
    } else if (predicted) {
      acc.falsePositive += w;
    } else if (isPositive) {
      acc.falseNegative += w;
    } else {
      acc.trueNegative += w;
    }
    int c = Math.min(calibrationBins - 1, (int) (p * calibrationBins));
    acc.calibrationCount[c] += w;
    acc.calibrationPositive[c] += isPositive ? w : 0;
    acc.calibrationScore[c] += p * w;
    acc.rows++;
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = createAccumulator();
    for (Acc a : accs) {
      out.scores.addAll(a.scores);
      for (int c = 0; c < calibrationBins; c++) {
        out.calibrationCount[c] += a.calibrationCount[c];
        out.calibrationPositive[c] += a.calibrationPositive[c];
        out.calibrationScore[c] += a.calibrationScore[c];
      }
      out.truePositive += a.truePositive;
      out.falsePositive += a.falsePositive;
      out.trueNegative += a.trueNegative;
      out.falseNegative += a.falseNegative;
      out.loss += a.loss;
      out.rows += a.rows;
    }
    return out;
  }

  @Override
  public Map<String, Double> extractOutput(Acc acc) {
    double pos = acc.truePositive + acc.falseNegative;
    double neg = acc.trueNegative + acc.falsePositive;
    double total = pos + neg;
    // AUC and average precision: walk the bins from the highest score down; a bin's rows count as tied.
    double[] sums = new double[4]; // auc, average precision, positives and negatives above
    acc.scores.forEachDescending((bin, n, p) -> {
      sums[0] += n * (sums[2] + p / 2);
      sums[2] += p;
      sums[3] += n;
      if (p > 0) {
        sums[1] += (p / pos) * (sums[2] / (sums[2] + sums[3]));
      }
    });
    double auc = sums[0];
    double ap = sums[1];
    double tp = acc.truePositive;
    double fp = acc.falsePositive;
    Map<String, Double> all = new LinkedHashMap<>();
    all.put("auc", pos > 0 && neg > 0 ? auc / (pos * neg) : Double.NaN);
    all.put("aucpr", pos > 0 ? ap : Double.NaN);
    all.put("logloss", total > 0 ? acc.loss / total : Double.NaN);
    all.put("error", total > 0 ? (fp + acc.falseNegative) / total : Double.NaN);
    all.put("accuracy", total > 0 ? (tp + acc.trueNegative) / total : Double.NaN);
    double precision = tp + fp > 0 ? tp / (tp + fp) : 0.0;
    double recall = pos > 0 ? tp / pos : 0.0;
    all.put("precision", precision);
    all.put("recall", recall);
    all.put("f1", precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
    double ece = 0;
    for (int c = 0; c < calibrationBins; c++) {
      if (acc.calibrationCount[c] > 0) {
        ece += Math.abs(acc.calibrationPositive[c] - acc.calibrationScore[c]) / total;
      }
    }
    all.put("ece", total > 0 ? ece : Double.NaN);
    Map<String, Double> out = new LinkedHashMap<>();
    wanted.forEach(m -> out.put(m, all.get(m)));
    out.put("rows", (double) acc.rows);
    return out;
  }
}
