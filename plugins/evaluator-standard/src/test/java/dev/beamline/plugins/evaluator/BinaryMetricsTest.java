package dev.beamline.plugins.evaluator;

import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Binary metrics against brute-force references: pairwise AUC, per-row log loss, counted confusion matrix. */
class BinaryMetricsTest extends StandardEvaluatorContract {
  @Override
  protected Map<String, Object> config() {
    return Map.of("threshold", 0.5);
  }

  @Override
  protected Task task() {
    return new Task(TaskType.BINARY, List.of("0", "1"));
  }

  @Override
  protected List<Scored> sample() {
    Random r = new Random(11);
    List<Scored> rows = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      int label = r.nextFloat() < 0.3 ? 1 : 0;
      // Scores rounded to 2 decimals so that ties occur, as they do with few trees.
      float p = Math.round(Math.min(0.99f, Math.max(0.01f, (float) (0.3 * label + 0.7 * r.nextFloat()))) * 100) / 100f;
      rows.add(new Scored(i, label, 1.0, new float[] {p}));
    }
    return rows;
  }

  @Override
  protected Map<String, Double> expected() {
    List<Scored> rows = sample();
    double pairs = 0;
    double won = 0;
    double loss = 0;
    int tp = 0;
    int fp = 0;
    int fn = 0;
    int tn = 0;
    for (Scored a : rows) {
      double p = a.prediction()[0];
      loss -= a.label() == 1 ? Math.log(p) : Math.log(1 - p);
      boolean predicted = p >= 0.5;
      if (a.label() == 1) {
        if (predicted) {
          tp++;
        } else {
          fn++;
        }
        for (Scored b : rows) {
          if (b.label() == 0) {
            pairs++;
            won += a.prediction()[0] > b.prediction()[0] ? 1 : a.prediction()[0] == b.prediction()[0] ? 0.5 : 0;
          }
        }
      } else if (predicted) {
        fp++;
      } else {
        tn++;
      }
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("auc", won / pairs);
    m.put("logloss", loss / rows.size());
    m.put("accuracy", (double) (tp + tn) / rows.size());
    m.put("error", (double) (fp + fn) / rows.size());
    double precision = (double) tp / (tp + fp);
    double recall = (double) tp / (tp + fn);
    m.put("precision", precision);
    m.put("recall", recall);
    m.put("f1", 2 * precision * recall / (precision + recall));
    m.put("rows", (double) rows.size());
    return m;
  }

  @org.junit.jupiter.api.Test
  void binnedAucStaysWithinATenThousandthOfTheExactOneOnContinuousScores() {
    Random r = new Random(5);
    List<Scored> rows = new ArrayList<>();
    for (int i = 0; i < 20000; i++) {
      int label = r.nextFloat() < 0.25 ? 1 : 0;
      float p = (float) (1 / (1 + Math.exp(-(r.nextGaussian() + 1.5 * label - 1))));
      rows.add(new Scored(i, label, 1.0, new float[] {p}));
    }
    // Exact AUC by sorting: the rank-sum (Mann-Whitney) formula.
    List<Scored> sorted = new ArrayList<>(rows);
    sorted.sort((a, b) -> Float.compare(a.prediction()[0], b.prediction()[0]));
    double rankSum = 0;
    long positives = 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i).label() == 1) {
        rankSum += i + 1;
        positives++;
      }
    }
    long negatives = rows.size() - positives;
    double exact = (rankSum - positives * (positives + 1) / 2.0) / (positives * (double) negatives);
    var fn = new BinaryMetrics(List.of("auc"), 0.5, 10);
    var acc = fn.createAccumulator();
    for (Scored s : rows) {
      acc = fn.addInput(acc, s);
    }
    org.junit.jupiter.api.Assertions.assertEquals(exact, fn.extractOutput(acc).get("auc"), 1e-4);
  }
}
