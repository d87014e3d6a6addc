package dev.beamline.plugins.kmeans;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.spi.model.Trainer;
import java.util.List;

/**
 * The {@code kmeans} trainer: k-means clustering ({@code label.task: clustering}) by Apache Commons Math's
 * k-means++ seeding and Lloyd's iterations, run until no row changes cluster (or {@code maxIterations}), the best of
 * {@code restarts} seeded runs kept (the lowest inertia). The model is its centres, as JSON ({@code model.json}).
 */
public final class KMeansPlugin implements BeamlinePlugin, TrainerFactory {
  private static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofInt("k").asRequired().describedAs("the number of clusters"),
      ConfigKey.ofInt("maxIterations").withDefault(1000)
          .describedAs("the most Lloyd's iterations of a run; it stops sooner when no row changes cluster"),
      ConfigKey.ofInt("restarts").withDefault(1).describedAs("seeded runs, each from its own k-means++ seeding; the lowest inertia is kept"),
      ConfigKey.ofLong("seed").describedAs("the seed of the k-means++ seeding; default the pipeline's seed"));

  @Override
  public List<TrainerFactory> trainers() {
    return List.of(this);
  }

  @Override
  public String id() {
    return "kmeans";
  }

  @Override
  public String description() {
    return "k-means clustering (k-means++ seeding, Lloyd's iterations; Apache Commons Math), centres as JSON";
  }

  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  /** The centres are the whole model: no setting is needed to score. */
  @Override
  public Predictor predictor(byte[] model, Task task) throws Exception {
    return KMeansTrainer.predictor(Centres.fromJson(model));
  }

  @Override
  public Trainer create(StageConfig config, Task task) {
    if (task.type() != TaskType.CLUSTERING) {
      throw new ConfigException("trainer.type: kmeans clusters rows and learns no label; set label.task: clustering, or use a trainer "
          + "for a " + task.type().name().toLowerCase() + " task (xgboost, linear, random-forest, decision-tree)");
    }
    int k = config.getInt("k");
    if (k < 2) {
      throw new ConfigException("trainer.k: give at least 2 clusters, not " + k);
    }
    if (config.getInt("maxIterations") < 1) {
      throw new ConfigException("trainer.maxIterations: must be at least 1");
    }
    if (config.getInt("restarts") < 1) {
      throw new ConfigException("trainer.restarts: must be at least 1");
    }
    return new KMeansTrainer(k, config.getInt("maxIterations"), config.getInt("restarts"), config.has("seed") ? config.getLong("seed") : 0L);
  }
}
