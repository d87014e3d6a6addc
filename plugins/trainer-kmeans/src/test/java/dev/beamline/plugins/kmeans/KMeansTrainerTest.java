package dev.beamline.plugins.kmeans;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.spi.model.TrainedModel;
import dev.beamline.testkit.TrainerContract;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The test kit's trainer contract for k-means, on three separated blobs, and what k-means itself promises. */
class KMeansTrainerTest extends TrainerContract {
  private static final Task CLUSTERING = new Task(TaskType.CLUSTERING, List.of());

  @Override
  protected BeamlinePlugin plugin() {
    return new KMeansPlugin();
  }

  @Override
  protected TrainerFactory trainer() {
    return new KMeansPlugin();
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("k", 3, "seed", 42L);
  }

  @Override
  protected Map<String, Object> requiredValues(dev.beamline.spi.StageFactory stage) {
    return Map.of("k", 3);
  }

  @Override
  protected Task task() {
    return CLUSTERING;
  }

  @Override
  protected FeatureMatrix trainingData() {
    return blobs(300, 11);
  }

  /** Every row lands with its blob. */
  @Override
  protected double minimumFit() {
    return 1.0;
  }

  /** Three Gaussian blobs (sd 1) around (0, 0), (10, 0) and (0, 10); the label is the blob. */
  static FeatureMatrix blobs(int rows, long seed) {
    Random r = new Random(seed);
    float[] values = new float[rows * 2];
    float[] labels = new float[rows];
    double[][] centres = {{0, 0}, {10, 0}, {0, 10}};
    for (int i = 0; i < rows; i++) {
      int b = i % 3;
      labels[i] = b;
      values[2 * i] = (float) (centres[b][0] + r.nextGaussian());
      values[2 * i + 1] = (float) (centres[b][1] + r.nextGaussian());
    }
    return new FeatureMatrix(rows, 2, List.of("x", "y"), null, null, values, labels, null);
  }

  private static FeatureMatrix matrix(float[][] rows) {
    float[] values = new float[rows.length * rows[0].length];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, values, i * rows[0].length, rows[0].length);
    }
    float[] labels = new float[rows.length];
    java.util.Arrays.fill(labels, Float.NaN);
    return new FeatureMatrix(rows.length, rows[0].length, List.of("x", "y"), null, null, values, labels, null);
  }

  private static TrainedModel train(Map<String, Object> config, FeatureMatrix data) throws Exception {
    KMeansPlugin p = new KMeansPlugin();
    return p.create(p.configSpec().validate("trainer", config), CLUSTERING).train(data, null);
  }

  @Test
  void centresAreTheMeansOfTheirRowsAndTheInertiaTheirSquaredDistances() throws Exception {
    FeatureMatrix m = matrix(new float[][] {{0, 0}, {0, 1}, {10, 10}, {10, 11}});
    TrainedModel model = train(Map.of("k", 2, "seed", 1L), m);
    Centres centres = Centres.fromJson(model.bytes());
    double[][] sorted = centres.centres().clone();
    java.util.Arrays.sort(sorted, java.util.Comparator.comparingDouble(c -> c[0]));
    assertArrayEquals(new double[] {0, 0.5}, sorted[0], 1e-12);
    assertArrayEquals(new double[] {10, 10.5}, sorted[1], 1e-12);
    assertEquals(1.0, (Double) model.info().get("inertia"), 1e-12, "four rows, each 0.5 from its centre");
    assertEquals(true, model.info().get("converged"));
    assertEquals(List.of(2, 2), model.info().get("clusterSizes"));
    assertEquals("kmeans", model.flavor());
    assertEquals("model.json", model.fileName());
  }

  @Test
  void predictsTheNearestCentreAndItsSquaredDistanceLeavingOutAMissingFeature() throws Exception {
    TrainedModel model = train(Map.of("k", 2, "seed", 1L), matrix(new float[][] {{0, 0}, {0, 1}, {10, 10}, {10, 11}}));
    Centres centres = Centres.fromJson(model.bytes());
    int low = centres.centres()[0][0] < 5 ? 0 : 1;
    try (Predictor p = new KMeansPlugin().create(new KMeansPlugin().configSpec().validate("t", Map.of("k", 2)), CLUSTERING)
        .predictor(model.bytes())) {
      float[][] out = p.predict(matrix(new float[][] {{1, 0.5f}, {9, Float.NaN}}));
      assertArrayEquals(new float[] {low, 1f}, out[0]);
      assertArrayEquals(new float[] {1 - low, 1f}, out[1], "x alone: 1 from 10");
    }
  }

  @Test
  void moreRestartsNeverGiveAHigherInertia() throws Exception {
    FeatureMatrix data = blobs(600, 5);
    double one = (Double) train(Map.of("k", 8, "seed", 3L), data).info().get("inertia");
    TrainedModel five = train(Map.of("k", 8, "seed", 3L, "restarts", 5), data);
    List<?> inertias = (List<?>) five.info().get("restartInertias");
    assertEquals(5, inertias.size());
    assertEquals(one, ((Number) inertias.get(0)).doubleValue(), 1e-9, "the first restart is the one-run model");
    double best = inertias.stream().mapToDouble(x -> ((Number) x).doubleValue()).min().orElseThrow();
    assertEquals(best, (Double) five.info().get("inertia"), 0.0);
  }

  @Test
  void aMissingFeatureInTrainingIsAnErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> train(Map.of("k", 2), matrix(new float[][] {{0, 0}, {0, Float.NaN}, {10, 10}})));
    assertTrue(e.getMessage().contains("'y' is missing in training row 2") && e.getMessage().contains("impute"), e.getMessage());
  }

  @Test
  void refusesWhatItCannotDo() {
    KMeansPlugin p = new KMeansPlugin();
    ConfigException task = assertThrows(ConfigException.class,
        () -> p.create(p.configSpec().validate("t", Map.of("k", 2)), new Task(TaskType.BINARY, List.of("0", "1"))));
    assertTrue(task.getMessage().contains("label.task: clustering"), task.getMessage());
    ConfigException k = assertThrows(ConfigException.class, () -> p.create(p.configSpec().validate("t", Map.of("k", 1)), CLUSTERING));
    assertTrue(k.getMessage().contains("trainer.k"), k.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> p.configSpec().validate("trainer", Map.of()));
    assertTrue(missing.getMessage().contains("'k'"), missing.getMessage());
    ConfigException few = assertThrows(ConfigException.class, () -> train(Map.of("k", 5), matrix(new float[][] {{0, 0}, {1, 1}})));
    assertTrue(few.getMessage().contains("at least 5 training rows"), few.getMessage());
    float[] weights = {1, 2, 1};
    FeatureMatrix weighted = new FeatureMatrix(3, 2, List.of("x", "y"), null, null, new float[6], new float[3], weights);
    ConfigException w = assertThrows(ConfigException.class, () -> train(Map.of("k", 2), weighted));
    assertTrue(w.getMessage().contains("does not weight rows"), w.getMessage());
  }

  @Test
  void aModelFileOfAnotherFormatIsRefused() {
    IOException e = assertThrows(IOException.class, () -> Centres.fromJson("{\"format\": \"xgboost\"}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().contains("not a k-means model"), e.getMessage());
  }
}
