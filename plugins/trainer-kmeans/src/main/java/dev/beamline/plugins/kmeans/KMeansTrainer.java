package dev.beamline.plugins.kmeans;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.TrainedModel;
import dev.beamline.spi.model.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Trains k-means on one worker: the rows in the host's order (by row id, the same on every runner), Commons Math's
 * k-means++ seeding from the seed and Lloyd's iterations until no row changes cluster; with restarts, the seeding
 * generator runs on, and the run of the lowest inertia is kept. Every feature must be present in every training row
 * (impute missing values in the features section), and rows are not weighted.
 */
final class KMeansTrainer implements Trainer {
  private static final long serialVersionUID = 1L;

  private final int k;
  private final int maxIterations;
  private final int restarts;
  private final long seed;

  KMeansTrainer(int k, int maxIterations, int restarts, long seed) {
    this.k = k;
    this.maxIterations = maxIterations;
    this.restarts = restarts;
    this.seed = seed;
  }

  @Override
  public TrainedModel train(FeatureMatrix train, FeatureMatrix validation) {
    long started = System.nanoTime();
    List<DoublePoint> points = points(train);
    if (points.size() < k) {
      throw new ConfigException("trainer.k: " + k + " clusters need at least " + k + " training rows; the training split has " + points.size());
    }
    JDKRandomGenerator random = new JDKRandomGenerator();
    random.setSeed(seed);
    KMeansPlusPlusClusterer<DoublePoint> clusterer = new KMeansPlusPlusClusterer<>(k, maxIterations, new EuclideanDistance(), random);
    Centres best = null;
    Fit bestFit = null;
    List<Double> inertias = new ArrayList<>();
    for (int r = 0; r < restarts; r++) {
      Centres centres = centres(clusterer.cluster(points), train.featureNames());
      Fit fit = Fit.of(centres, train);
      inertias.add(fit.inertia());
      if (bestFit == null || fit.inertia() < bestFit.inertia()) {
        best = centres;
        bestFit = fit;
      }
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("k", k);
    info.put("trainRows", train.rows());
    info.put("features", train.columns());
    info.put("inertia", bestFit.inertia());
    info.put("clusterSizes", bestFit.sizes());
    info.put("converged", bestFit.converged());
    if (restarts > 1) {
      info.put("restartInertias", inertias);
    }
    info.put("trainMillis", (System.nanoTime() - started) / 1_000_000);
    Map<String, Object> flavor = new LinkedHashMap<>();
    flavor.put("model_format", Centres.FORMAT);
    flavor.put("k", k);
    return new TrainedModel("model.json", best.toJson(), "kmeans", flavor, List.of(), -1, info);
  }

  /** The training rows as points; a missing feature is an error naming it, since k-means measures every distance whole. */
  private static List<DoublePoint> points(FeatureMatrix m) {
    if (m.weights() != null) {
      for (float w : m.weights()) {
        if (w != 1f) {
          throw new ConfigException("weight: kmeans does not weight rows; remove the pipeline's weight column");
        }
      }
    }
    List<DoublePoint> points = new ArrayList<>(m.rows());
    for (int i = 0; i < m.rows(); i++) {
      float[] row = m.row(i);
      double[] p = new double[row.length];
      for (int f = 0; f < row.length; f++) {
        if (Float.isNaN(row[f])) {
          throw new ConfigException("features: '" + m.featureNames().get(f) + "' is missing in training row " + (i + 1)
              + " (in row-id order); k-means needs every feature in every row: impute it in the features section, "
              + "e.g. transforms: [{type: impute, strategy: mean}, {type: zscore}]");
        }
        p[f] = row[f];
      }
      points.add(new DoublePoint(p));
    }
    return points;
  }

  private static Centres centres(List<CentroidCluster<DoublePoint>> clusters, List<String> features) {
    double[][] centres = new double[clusters.size()][];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = clusters.get(c).getCenter().getPoint().clone();
    }
    return new Centres(features, centres);
  }

  /**
   * How centres fit the training rows, from one pass over them: the inertia (the sum of the squared distances from each
   * row to its nearest centre), the cluster sizes, and whether the run converged: each centre is the mean of the rows
   * nearest to it, so one more of Lloyd's iterations would move no row (within float precision); false when it stopped
   * at {@code maxIterations}.
   */
  record Fit(double inertia, List<Integer> sizes, boolean converged) {
    static Fit of(Centres centres, FeatureMatrix m) {
      double[][] sums = new double[centres.k()][m.columns()];
      int[] counts = new int[centres.k()];
      double inertia = 0;
      float[] out = new float[2];
      for (int i = 0; i < m.rows(); i++) {
        float[] row = m.row(i);
        centres.assign(row, 0, out);
        inertia += out[1];
        int c = (int) out[0];
        counts[c]++;
        for (int f = 0; f < row.length; f++) {
          sums[c][f] += row[f];
        }
      }
      boolean converged = true;
      for (int c = 0; c < centres.k() && converged; c++) {
        for (int f = 0; f < m.columns() && converged; f++) {
          double mean = counts[c] == 0 ? centres.centres()[c][f] : sums[c][f] / counts[c];
          converged = Math.abs(mean - centres.centres()[c][f]) <= 1e-6 * Math.max(1, Math.abs(mean));
        }
      }
      List<Integer> sizes = new ArrayList<>();
      for (int n : counts) {
        sizes.add(n);
      }
      return new Fit(inertia, sizes, converged);
    }
  }

  @Override
  public Predictor predictor(byte[] model) throws Exception {
    return predictor(Centres.fromJson(model));
  }

  /** Scores rows against the centres: each row's cluster and squared distance. */
  static Predictor predictor(Centres centres) {
    return new Predictor() {
      @Override
      public float[][] predict(FeatureMatrix rows) {
        if (rows.columns() != centres.features().size()) {
          throw new IllegalArgumentException("the k-means model has " + centres.features().size() + " features, the rows " + rows.columns());
        }
        float[][] out = new float[rows.rows()][2];
        for (int i = 0; i < rows.rows(); i++) {
          if (rows.isSparse()) {
            centres.assign(rows.row(i), 0, out[i]);
          } else {
            centres.assign(rows.values(), i * rows.columns(), out[i]);
          }
        }
        return out;
      }

      @Override
      public void close() {}
    };
  }
}
