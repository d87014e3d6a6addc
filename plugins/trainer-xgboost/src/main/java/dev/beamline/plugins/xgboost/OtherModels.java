package dev.beamline.plugins.xgboost;

import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Models beyond boosted trees that XGBoost trains as well, each a trainer of its own with the keys its kind of model
 * has: a linear model ({@code linear}: linear or logistic regression, XGBoost's {@code gblinear} by deterministic
 * coordinate descent, its coefficients in {@code trainer.json}), a random forest ({@code random-forest}: one round of
 * {@code num_parallel_tree} trees on sampled rows and features) and a single decision tree ({@code decision-tree}).
 * Their models are XGBoost models like any other: the same UBJ file, MLflow flavors, scoring and serving.
 */
final class OtherModels {
  private OtherModels() {}

  /** A kind of model: its id, description and own keys (beside {@link XGBoostPlugin#COMMON_KEYS}), and the booster parameters they make. */
  private abstract static class Model implements TrainerFactory {
    private final String id;
    private final String description;
    private final ConfigSpec spec;

    Model(String id, String description, ConfigKey... own) {
      this.id = id;
      this.description = description;
      List<ConfigKey> keys = new ArrayList<>(List.of(own));
      keys.addAll(XGBoostPlugin.COMMON_KEYS);
      this.spec = ConfigSpec.of(keys);
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public String description() {
      return description;
    }

    @Override
    public ConfigSpec configSpec() {
      return spec;
    }

    /** One round, no early stopping: a search may set the threads only. */
    @Override
    public SearchKeys searchKeys() {
      return new SearchKeys(null, null, "nthread");
    }

    /** The booster parameters of a configuration. */
    abstract Map<String, Object> params(StageConfig config);

    int rounds(StageConfig config) {
      return 1;
    }

    int earlyStoppingRounds(StageConfig config) {
      return 0;
    }

    @Override
    public Trainer create(StageConfig config, Task task) {
      return XGBoostPlugin.trainer(config, task, rounds(config), earlyStoppingRounds(config), params(config));
    }
  }

  private static double fraction(StageConfig config, String key) {
    double v = config.getDouble(key);
    if (!(v > 0 && v <= 1)) {
      throw new ConfigException("trainer." + key + ": " + v + " is not a fraction in (0, 1]");
    }
    return v;
  }

  /** Linear and logistic regression (multinomial for several classes). */
  static final class Linear extends Model {
    Linear() {
      super("linear", "linear or logistic regression (XGBoost's gblinear, coordinate descent), coefficients in trainer.json",
          ConfigKey.ofInt("rounds").withDefault(200).describedAs("coordinate-descent passes over the features (the most, with early stopping)"),
          ConfigKey.ofInt("earlyStoppingRounds").withDefault(10).describedAs("stop when the validation metric has not improved for this many "
              + "passes (0 = off)"),
          ConfigKey.ofDouble("l2").withDefault(0.0).describedAs("L2 penalty on the weights, per training row (XGBoost's lambda: scikit-learn's "
              + "1 / (C x rows))"),
          ConfigKey.ofDouble("l1").withDefault(0.0).describedAs("L1 penalty on the weights, per training row (XGBoost's alpha)"),
          ConfigKey.ofDouble("learningRate").withDefault(0.5).describedAs("step size of each pass (XGBoost's eta)"));
    }

    @Override
    public SearchKeys searchKeys() {
      return new SearchKeys("rounds", "earlyStoppingRounds", "nthread");
    }

    @Override
    int rounds(StageConfig config) {
      return config.getInt("rounds");
    }

    @Override
    int earlyStoppingRounds(StageConfig config) {
      return config.getInt("earlyStoppingRounds");
    }

    @Override
    Map<String, Object> params(StageConfig config) {
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("booster", "gblinear");
      params.put("updater", "coord_descent"); // deterministic, unlike the default parallel shotgun updater
      params.put("feature_selector", "cyclic");
      params.put("lambda", config.getDouble("l2"));
      params.put("alpha", config.getDouble("l1"));
      params.put("eta", config.getDouble("learningRate"));
      return params;
    }
  }

  /** A random forest: bagged trees grown in one round, each on a sample of the rows and of the features at each split. */
  static final class RandomForest extends Model {
    RandomForest() {
      super("random-forest", "a random forest (XGBoost's num_parallel_tree in one round, rows and features sampled)",
          ConfigKey.ofInt("trees").withDefault(100).describedAs("trees in the forest"),
          ConfigKey.ofInt("maxDepth").withDefault(12).describedAs("the deepest a tree grows"),
          ConfigKey.ofDouble("sampleFraction").withDefault(0.632).describedAs("rows each tree sees, drawn without replacement"),
          ConfigKey.ofDouble("featureFraction").withDefault(0.5).describedAs("features each split chooses from"),
          ConfigKey.ofDouble("minChildWeight").withDefault(1.0).describedAs("the least hessian weight (rows, for squared error) in a leaf"));
    }

    /** Its trees grow by the hist method, so several workers can grow them together (trainer.workers). */
    @Override
    public java.util.Optional<dev.beamline.spi.model.Collective> collective() {
      return java.util.Optional.of(new XGBoostCollective());
    }

    @Override
    Map<String, Object> params(StageConfig config) {
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("num_parallel_tree", config.getInt("trees"));
      params.put("max_depth", config.getInt("maxDepth"));
      params.put("subsample", fraction(config, "sampleFraction"));
      params.put("colsample_bynode", fraction(config, "featureFraction"));
      params.put("min_child_weight", config.getDouble("minChildWeight"));
      params.put("eta", 1.0);
      params.put("lambda", 1e-5); // a forest averages its trees' leaves: almost no shrinkage of each
      return params;
    }
  }

  /** One decision tree on every row and feature. */
  static final class DecisionTree extends Model {
    DecisionTree() {
      super("decision-tree", "a single decision tree (one XGBoost tree on every row and feature, unshrunk)",
          ConfigKey.ofInt("maxDepth").withDefault(6).describedAs("the deepest the tree grows"),
          ConfigKey.ofDouble("minChildWeight").withDefault(1.0).describedAs("the least hessian weight (rows, for squared error) in a leaf"));
    }

    /** Its trees grow by the hist method, so several workers can grow them together (trainer.workers). */
    @Override
    public java.util.Optional<dev.beamline.spi.model.Collective> collective() {
      return java.util.Optional.of(new XGBoostCollective());
    }

    @Override
    Map<String, Object> params(StageConfig config) {
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("max_depth", config.getInt("maxDepth"));
      params.put("min_child_weight", config.getDouble("minChildWeight"));
      params.put("eta", 1.0);
      params.put("lambda", 0.0);
      return params;
    }
  }
}
