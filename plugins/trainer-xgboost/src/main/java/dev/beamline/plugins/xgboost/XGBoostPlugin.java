package dev.beamline.plugins.xgboost;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.spi.model.Trainer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code xgboost} trainer (XGBoost4J): objectives for binary, multi-class and regression tasks, the
 * hist tree method by default, a seed, early stopping on the validation split and a per-round metric
 * history. The model is saved in XGBoost's UBJSON format ({@code model.ubj}).
 */
public final class XGBoostPlugin implements BeamlinePlugin, TrainerFactory {
  /** Objectives per task. The first is the default. */
  static final Map<TaskType, List<String>> OBJECTIVES = Map.of(
      TaskType.BINARY, List.of("binary:logistic"),
      TaskType.MULTICLASS, List.of("multi:softprob"),
      TaskType.REGRESSION, List.of("reg:squarederror", "reg:absoluteerror", "reg:pseudohubererror",
          "reg:squaredlogerror", "count:poisson", "reg:gamma", "reg:tweedie"));

  /** Native XGBoost booster parameters accepted under {@code params}. */
  static final Set<String> NATIVE_PARAMS = new TreeSet<>(List.of(
      "eta", "learning_rate", "max_depth", "min_child_weight", "subsample", "colsample_bytree", "colsample_bylevel",
      "colsample_bynode", "lambda", "reg_lambda", "alpha", "reg_alpha", "gamma", "min_split_loss", "max_bin",
      "tree_method", "grow_policy", "max_leaves", "scale_pos_weight", "max_delta_step", "base_score",
      "num_parallel_tree", "monotone_constraints", "interaction_constraints", "sampling_method",
      "tweedie_variance_power", "huber_slope", "booster", "verbosity"));

  /** The keys every XGBoost-based trainer has: objective, evaluation metrics, seed, threads. */
  static final List<ConfigKey> COMMON_KEYS = List.of(
      ConfigKey.ofString("objective").describedAs("XGBoost objective; default by task: binary:logistic, multi:softprob, reg:squarederror"),
      ConfigKey.ofStringList("evalMetrics").describedAs("metrics per round; default by task: logloss,auc,error / mlogloss,merror / rmse,mae"),
      ConfigKey.ofLong("seed").describedAs("random seed; default the pipeline's seed"),
      ConfigKey.ofInt("nthread").withDefault(0).describedAs("training threads (0 = all cores)"),
      ConfigKey.ofBoolean("history").withDefault(true).describedAs("measure the training rows after every round, for the history "
          + "and learning curve (false: only the validation rows are measured; without them there is no history)"));

  private static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofInt("rounds").withDefault(100).describedAs("boosting rounds (the most, with early stopping)"),
      ConfigKey.ofInt("earlyStoppingRounds").withDefault(0)
          .describedAs("stop when the last eval metric on the validation split has not improved for this many rounds (0 = off)"),
      ConfigKey.ofMap("params").describedAs("native booster parameters: " + String.join(", ", NATIVE_PARAMS)))
      .plus(COMMON_KEYS.toArray(ConfigKey[]::new));

  @Override
  public List<TrainerFactory> trainers() {
    return List.of(this, new OtherModels.Linear(), new OtherModels.RandomForest(), new OtherModels.DecisionTree());
  }

  @Override
  public String id() {
    return "xgboost";
  }

  @Override
  public String description() {
    return "gradient-boosted trees with XGBoost4J (hist, early stopping, UBJ model)";
  }

  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  /** Gradient-boosted trees train on several workers together with XGBoost's collective (the hist method). */
  @Override
  public java.util.Optional<dev.beamline.spi.model.Collective> collective() {
    return java.util.Optional.of(new XGBoostCollective());
  }

  @Override
  public SearchKeys searchKeys() {
    return new SearchKeys("rounds", "earlyStoppingRounds", "nthread");
  }

  @Override
  public Trainer create(StageConfig config, Task task) {
    for (String key : config.getMap("params").keySet()) {
      if (!NATIVE_PARAMS.contains(key)) {
        throw new ConfigException("trainer.params: unknown key '" + key + "'; allowed keys: " + String.join(", ", NATIVE_PARAMS)
            + (key.equals("objective") || key.equals("seed") || key.equals("nthread") || key.equals("num_class")
                ? ". '" + key + "' is set outside params (or derived from the task)" : ""));
      }
    }
    return trainer(config, task, config.getInt("rounds"), config.getInt("earlyStoppingRounds"), config.getMap("params"));
  }

  /**
   * An XGBoost trainer of {@code params}, with the objective, evaluation metrics, seed and threads of {@code config} (the
   * keys every XGBoost-based trainer has): the objective checked against the task, the metrics defaulted by it.
   */
  static XGBoostTrainer trainer(StageConfig config, Task task, int rounds, int earlyStoppingRounds, Map<String, Object> params) {
    List<String> allowed = OBJECTIVES.get(task.type());
    if (allowed == null) {
      throw new ConfigException("trainer.type: XGBoost's trainers learn from a label and do not make " + task.type().name().toLowerCase()
          + " models; for label.task: clustering use trainer.type: kmeans");
    }
    String objective = config.getString("objective") == null ? allowed.get(0) : config.getString("objective");
    if (!allowed.contains(objective)) {
      throw new ConfigException("trainer.objective: '" + objective + "' does not fit a " + task.type().name().toLowerCase()
          + " task; use one of " + allowed);
    }
    if (rounds < 1) {
      throw new ConfigException("trainer.rounds: must be at least 1");
    }
    List<String> metrics = config.getStringList("evalMetrics");
    if (metrics.isEmpty()) {
      metrics = switch (task.type()) {
        case BINARY -> List.of("logloss", "auc", "error");
        case MULTICLASS -> List.of("mlogloss", "merror");
        case REGRESSION -> List.of("rmse", "mae");
        case CLUSTERING -> throw new IllegalStateException("refused above");
      };
    }
    return new XGBoostTrainer(task, objective, rounds, earlyStoppingRounds, metrics, config.has("seed") ? config.getLong("seed") : 0L,
        config.getInt("nthread"), params, config.getBoolean("history"));
  }

}
