package dev.beamline.plugins.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Clustering metrics against scikit-learn's figures for the same points, clusters and reference labels. */
class ClusteringMetricsTest extends StandardEvaluatorContract {
  private static final float[][] POINTS = {{0, 0}, {1, 0}, {0, 1}, {5, 5}, {6, 5}, {20, 0}};
  private static final int[] CLUSTERS = {0, 0, 0, 1, 1, 2};
  private static final int[] REFERENCE = {0, 0, 1, 1, 2, 2};
  private static final float[] DISTANCES = {0.5f, 0.25f, 0.75f, 0.125f, 1.5f, 0f};

  @Override
  protected Map<String, Object> config() {
    return Map.of("seed", 7L);
  }

  @Override
  protected Task task() {
    return new Task(TaskType.CLUSTERING, List.of());
  }

  @Override
  protected List<Scored> sample() {
    List<Scored> rows = new ArrayList<>();
    for (int i = 0; i < POINTS.length; i++) {
      rows.add(new Scored(100 + i, REFERENCE[i], 1.0, new float[] {CLUSTERS[i], DISTANCES[i]}, POINTS[i]));
    }
    return rows;
  }

  /**
   * scikit-learn 1.9.1: {@code silhouette_score(POINTS, CLUSTERS)} = 0.7037301582319236,
   * {@code adjusted_rand_score(REFERENCE, CLUSTERS)} = 0.07407407407407407; the inertia is the distances' sum.
   */
  @Override
  protected Map<String, Double> expected() {
    return Map.of("silhouette", 0.7037301582319236, "ari", 0.07407407407407407, "inertia", 3.125, "rows", 6.0);
  }

  @Test
  void adjustedRandAgreesWithScikitLearnOnItsDocumentedCases() {
    // adjusted_rand_score(a, b) for each pair, as scikit-learn 1.9.1 gives it.
    assertEquals(0.5714285714285714, ari(new int[] {0, 0, 1, 2}, new int[] {0, 0, 1, 1}), 1e-12);
    assertEquals(1.0, ari(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}), 1e-12, "the names of the clusters do not matter");
    assertEquals(0.0, ari(new int[] {0, 0, 0, 0}, new int[] {0, 1, 2, 3}), 1e-12);
    assertEquals(0.16666666666666666, ari(new int[] {0, 1, 0, 1, 2, 2}, new int[] {0, 0, 1, 1, 2, 2}), 1e-12);
  }

  private static double ari(int[] clusters, int[] reference) {
    Map<List<Long>, Double> pairs = new HashMap<>();
    for (int i = 0; i < clusters.length; i++) {
      pairs.merge(List.of((long) clusters[i], (long) reference[i]), 1.0, Double::sum);
    }
    return ClusteringMetrics.adjustedRand(pairs);
  }

  @Test
  void silhouetteOfTwoPairsIsScikitLearns() {
    List<ClusteringMetrics.Point> points = List.of(point(0, 0, 0), point(1, 0, 1), point(2, 1, 10), point(3, 1, 11));
    assertEquals(0.899749373433584, ClusteringMetrics.silhouette(points), 1e-12);
  }

  private static ClusteringMetrics.Point point(long rank, int cluster, float x) {
    return new ClusteringMetrics.Point(rank, cluster, new float[] {x});
  }

  @Test
  void theSilhouetteSampleIsTheSameRowsWhateverTheirOrderAndPartition() {
    ClusteringMetrics fn = new ClusteringMetrics(List.of("silhouette"), 50, 42);
    List<Scored> rows = new ArrayList<>();
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 400; i++) {
      int c = i % 3;
      rows.add(new Scored(i, Double.NaN, 1, new float[] {c, 0}, new float[] {c * 4 + (float) r.nextGaussian(), (float) r.nextGaussian()}));
    }
    ClusteringMetrics.Acc forward = fn.createAccumulator();
    for (Scored s : rows) {
      forward = fn.addInput(forward, s);
    }
    ClusteringMetrics.Acc a = fn.createAccumulator();
    ClusteringMetrics.Acc b = fn.createAccumulator();
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (i % 2 == 0) {
        a = fn.addInput(a, rows.get(i));
      } else {
        b = fn.addInput(b, rows.get(i));
      }
    }
    ClusteringMetrics.Acc merged = fn.mergeAccumulators(List.of(b, a));
    assertEquals(50, forward.sample.size());
    assertEquals(forward.sample.keySet(), merged.sample.keySet());
    double silhouette = fn.extractOutput(forward).get("silhouette");
    assertEquals(silhouette, fn.extractOutput(merged).get("silhouette"), 0.0);
    assertTrue(silhouette > 0.3 && silhouette < 1, "three separated blobs: " + silhouette);
  }

  @Test
  void withoutAReferenceTheAdjustedRandIndexIsNaN() {
    ClusteringMetrics fn = new ClusteringMetrics(List.of("ari", "inertia"), 10, 0);
    ClusteringMetrics.Acc acc = fn.addInput(fn.createAccumulator(), new Scored(1, Double.NaN, 1, new float[] {0, 2}, null));
    Map<String, Double> out = fn.extractOutput(acc);
    assertTrue(out.get("ari").isNaN());
    assertEquals(2.0, out.get("inertia"));
  }
}
