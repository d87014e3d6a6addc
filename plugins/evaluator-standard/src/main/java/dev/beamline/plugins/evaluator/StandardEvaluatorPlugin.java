package dev.beamline.plugins.evaluator;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.EvaluatorFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The {@code standard} evaluator. Binary: auc, aucpr (average precision), logloss, error, accuracy,
 * precision, recall, f1 (at {@code threshold}) and ece (expected calibration error over
 * {@code calibrationBins} equal-width bins). Multi-class: accuracy, error, macro_f1, mlogloss.
 * Regression: rmse, mae, r2. Every metric is weighted by the sample weight; {@code rows} is the row count.
 */
public final class StandardEvaluatorPlugin implements BeamlinePlugin, EvaluatorFactory {
  static final Map<TaskType, List<String>> METRICS = Map.of(
      TaskType.BINARY, List.of("auc", "aucpr", "logloss", "error", "accuracy", "precision", "recall", "f1", "ece"),
      TaskType.MULTICLASS, List.of("accuracy", "error", "macro_f1", "mlogloss"),
      TaskType.REGRESSION, List.of("rmse", "mae", "r2"),
      TaskType.CLUSTERING, List.of("inertia", "silhouette", "ari"));

  private static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofStringList("metrics").describedAs("metrics to report; default all for the task"),
      ConfigKey.ofDouble("threshold").withDefault(0.5).describedAs("binary: predict class 1 when p >= threshold"),
      ConfigKey.ofInt("calibrationBins").withDefault(10).describedAs("binary: bins of the expected calibration error"),
      ConfigKey.ofInt("silhouetteSample").withDefault(2000)
          .describedAs("clustering: rows the silhouette is measured on (a seeded sample; all rows when fewer)"),
      ConfigKey.ofLong("seed").describedAs("clustering: the seed of the silhouette's sample; default the pipeline's seed"));

  @Override
  public List<EvaluatorFactory> evaluators() {
    return List.of(this);
  }

  @Override
  public String id() {
    return "standard";
  }

  @Override
  public String description() {
    return "classification, regression and clustering metrics computed with Beam combiners";
  }

  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  @Override
  public Combine.CombineFn<Scored, ?, Map<String, Double>> create(StageConfig config, Task task) {
    List<String> known = METRICS.get(task.type());
    List<String> wanted = config.getStringList("metrics").isEmpty() ? known : config.getStringList("metrics");
    for (String m : wanted) {
      if (!known.contains(m)) {
        throw new ConfigException("evaluator.metrics: '" + m + "' is not a " + task.type().name().toLowerCase()
            + " metric; use any of " + known);
      }
    }
    double threshold = config.getDouble("threshold");
    if (!(threshold > 0 && threshold < 1)) {
      throw new ConfigException("evaluator.threshold: must be between 0 and 1, not " + threshold);
    }
    int bins = config.getInt("calibrationBins");
    if (bins < 1) {
      throw new ConfigException("evaluator.calibrationBins: must be at least 1");
    }
    return switch (task.type()) {
      case BINARY -> new BinaryMetrics(wanted, threshold, bins);
      case MULTICLASS -> new MultiClassMetrics(wanted, task.numClasses());
      case REGRESSION -> new RegressionMetrics(wanted);
      case CLUSTERING -> new ClusteringMetrics(wanted, silhouetteSample(config), config.has("seed") ? config.getLong("seed") : 0L);
    };
  }

  private static int silhouetteSample(StageConfig config) {
    int n = config.getInt("silhouetteSample");
    if (n < 2) {
      throw new ConfigException("evaluator.silhouetteSample: must be at least 2, not " + n);
    }
    return n;
  }

  /** The silhouette measures distances between rows: clustering's metrics read the features. */
  @Override
  public boolean needsFeatures(Task task) {
    return task.type() == TaskType.CLUSTERING;
  }
}
