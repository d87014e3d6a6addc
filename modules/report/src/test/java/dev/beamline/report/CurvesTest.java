package dev.beamline.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The curves against figures worked out by hand and against the pairwise definition of AUC. */
class CurvesTest {
  @Test
  void rocAndPrecisionRecallOfASmallCaseWorkedOutByHand() {
    boolean[] positive = {true, false, true, false};
    double[] score = {0.9, 0.8, 0.8, 0.1}; // 0.8 is a tie of a positive and a negative
    Curves.Curve roc = Curves.roc(positive, score);
    assertArrayEquals(new double[] {0, 0, 0.5, 1}, roc.x(), 1e-15);
    assertArrayEquals(new double[] {0, 0.5, 1, 1}, roc.y(), 1e-15);
    Curves.Curve pr = Curves.precisionRecall(positive, score);
    assertArrayEquals(new double[] {0.5, 1, 1}, pr.x(), 1e-15);
    assertArrayEquals(new double[] {1, 2.0 / 3, 0.5}, pr.y(), 1e-15);
  }

  @Test
  void theAreaUnderTheRocCurveIsThePairwiseAuc() {
    Random r = new Random(3);
    int n = 2000;
    boolean[] positive = new boolean[n];
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      positive[i] = r.nextDouble() < 0.3;
      score[i] = Math.round((r.nextGaussian() + (positive[i] ? 1 : 0)) * 20) / 20.0; // ties
    }
    double won = 0;
    double pairs = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (positive[i] && !positive[j]) {
          pairs++;
          won += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
        }
      }
    }
    Curves.Curve roc = Curves.roc(positive, score);
    double area = 0;
    for (int k = 1; k < roc.x().length; k++) {
      area += (roc.x()[k] - roc.x()[k - 1]) * (roc.y()[k] + roc.y()[k - 1]) / 2;
    }
    assertEquals(won / pairs, area, 1e-12);
  }

  @Test
  void calibrationBinsAndConfusionCounts() {
    boolean[] positive = {true, false, true, true};
    double[] score = {0.05, 0.15, 0.95, 1.0};
    Curves.Calibration c = Curves.calibration(positive, score, 10);
    assertArrayEquals(new double[] {0.05, 0.15, 0.975}, c.meanScore(), 1e-15);
    assertArrayEquals(new double[] {1, 0, 1}, c.positiveShare(), 1e-15);
    assertArrayEquals(new long[] {1, 1, 2}, c.rows());
    long[][] m = Curves.confusion(new int[] {0, 1, 2, 2}, new int[] {0, 2, 2, 1}, 3);
    assertArrayEquals(new long[] {1, 0, 0}, m[0]);
    assertArrayEquals(new long[] {0, 0, 1}, m[1]);
    assertArrayEquals(new long[] {0, 1, 1}, m[2]);
  }
}
