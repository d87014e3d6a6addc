package dev.beamline.report;

import java.util.Arrays;

/**
 * The curves a report draws, computed exactly from the test predictions: ROC and precision-recall (one
 * point per distinct score, ties taken together), calibration bins and confusion matrices.
 */
final class Curves {
  private Curves() {}

  /** A curve's points, x and y, in drawing order. */
  record Curve(double[] x, double[] y) {}

  /** The rows sorted by score, highest first, with their labels: the walk both curves take. */
  private static int[] byScoreDescending(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
    return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /** The ROC curve (false positive rate, true positive rate) of binary labels (1 = positive) and scores. */
  static Curve roc(boolean[] positive, double[] scores) {
    int[] order = byScoreDescending(scores);
    long pos = 0;
    for (boolean p : positive) {
      pos += p ? 1 : 0;
    }
    long neg = positive.length - pos;
    double[] x = new double[order.length + 1];
    double[] y = new double[order.length + 1];
    int n = 1;
    long tp = 0;
    long fp = 0;
    for (int k = 0; k < order.length; k++) {
      if (positive[order[k]]) {
        tp++;
      } else {
        fp++;
      }
      if (k == order.length - 1 || scores[order[k + 1]] != scores[order[k]]) {
        x[n] = neg == 0 ? 0 : (double) fp / neg;
        y[n] = pos == 0 ? 0 : (double) tp / pos;
        n++;
      }
    }
    return new Curve(Arrays.copyOf(x, n), Arrays.copyOf(y, n));
  }

  /** The precision-recall curve (recall, precision), one point per distinct score. */
  static Curve precisionRecall(boolean[] positive, double[] scores) {
    int[] order = byScoreDescending(scores);
    long pos = 0;
    for (boolean p : positive) {
      pos += p ? 1 : 0;
    }
    double[] x = new double[order.length];
    double[] y = new double[order.length];
    int n = 0;
    long tp = 0;
    for (int k = 0; k < order.length; k++) {
      tp += positive[order[k]] ? 1 : 0;
      if (k == order.length - 1 || scores[order[k + 1]] != scores[order[k]]) {
        x[n] = pos == 0 ? 0 : (double) tp / pos;
        y[n] = (double) tp / (k + 1);
        n++;
      }
    }
    return new Curve(Arrays.copyOf(x, n), Arrays.copyOf(y, n));
  }

  /**
   * Calibration in {@code bins} equal-width bins of the score: per non-empty bin, the mean score (x) and the
   * share of positives (y), and the bin's row count.
   */
  record Calibration(double[] meanScore, double[] positiveShare, long[] rows) {}

  static Calibration calibration(boolean[] positive, double[] scores, int bins) {
    double[] sum = new double[bins];
    long[] count = new long[bins];
    long[] positives = new long[bins];
    for (int i = 0; i < scores.length; i++) {
      int b = Math.min(bins - 1, Math.max(0, (int) (scores[i] * bins)));
      sum[b] += scores[i];
      count[b]++;
      positives[b] += positive[i] ? 1 : 0;
    }
    int used = (int) Arrays.stream(count).filter(c -> c > 0).count();
    double[] x = new double[used];
    double[] y = new double[used];
    long[] rows = new long[used];
    int k = 0;
    for (int b = 0; b < bins; b++) {
      if (count[b] > 0) {
        x[k] = sum[b] / count[b];
        y[k] = (double) positives[b] / count[b];
        rows[k++] = count[b];
      }
    }
    return new Calibration(x, y, rows);
  }

  /** The confusion matrix: {@code [actual][predicted]} row counts over {@code classes} classes. */
  static long[][] confusion(int[] actual, int[] predicted, int classes) {
    long[][] m = new long[classes][classes];
    for (int i = 0; i < actual.length; i++) {
      m[actual[i]][predicted[i]]++;
    }
    return m;
  }
}
