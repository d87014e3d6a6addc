package dev.beamline.plugins.features;

import dev.beamline.features.steps.BucketizeStep;
import dev.beamline.features.steps.DateTimeStep;
import dev.beamline.features.steps.HashStep;
import dev.beamline.features.steps.ImputeStep;
import dev.beamline.features.steps.Log1pStep;
import dev.beamline.features.steps.MinMaxStep;
import dev.beamline.features.steps.VocabularyStep;
import dev.beamline.features.steps.ZScoreStep;
import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.FeatureFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The standard feature steps: {@code zscore}, {@code minmax}, {@code bucketize}, {@code vocabulary},
 * {@code impute}, {@code log1p}, {@code hash}. Their fit halves are the Beam combiners of this package;
 * their apply halves are the plain-Java steps of {@code beamline-features}.
 */
public final class StandardFeatures implements BeamlinePlugin {
  @Override
  public List<FeatureFactory> features() {
    return List.of(new ZScore(), new MinMaxScale(), new Bucketize(), new Vocabulary(), new Impute(), new Log1p(), new Hash(), new DateTime());
  }

  /** Shared plumbing: the apply half restores through the plain-Java step's factory. */
  abstract static class Base implements FeatureFactory {
    private final String id;
    private final String description;
    private final FittedStepFactory restorer;

    Base(String id, String description, FittedStepFactory restorer) {
      this.id = id;
      this.description = description;
      this.restorer = restorer;
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
      return ConfigSpec.of();
    }

    @Override
    public Set<ValueType> accepts() {
      return Set.of(ValueType.NUMBER);
    }

    @Override
    public ValueType outputType(StageConfig config, ValueType input) {
      return ValueType.NUMBER;
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      return restorer.restore(input, config, state);
    }
  }

  static final class ZScore extends Base {
    ZScore() {
      super("zscore", "standardize: (x - mean) / std, fitted on the training split", ZScoreStep.FACTORY);
    }

    @Override
    public Combine.CombineFn<Object, ?, Map<String, Object>> analyzer(StageConfig config, ValueType input) {
      return new Moments();
    }
  }

  static final class MinMaxScale extends Base {
    MinMaxScale() {
      super("minmax", "scale to [0, 1] by the training split's min and max", MinMaxStep.FACTORY);
    }

    @Override
    public ConfigSpec configSpec() {
      return ConfigSpec.of(ConfigKey.ofBoolean("clip").withDefault(false)
          .describedAs("clamp values outside the fitted range to [0, 1]"));
    }

    @Override
    public Combine.CombineFn<Object, ?, Map<String, Object>> analyzer(StageConfig config, ValueType input) {
      return new MinMax();
    }
  }

  static final class Bucketize extends Base {
    Bucketize() {
      super("bucketize", "bucket index by approximate quantiles of the training split", BucketizeStep.FACTORY);
    }

    @Override
    public ConfigSpec configSpec() {
      return ConfigSpec.of(
          ConfigKey.ofInt("buckets").withDefault(10).describedAs("number of quantile buckets (at least 2)"),
          ConfigKey.ofDouble("relativeAccuracy").withDefault(0.001).describedAs("quantile sketch relative accuracy"));
    }

    @Override
    public Combine.CombineFn<Object, ?, Map<String, Object>> analyzer(StageConfig config, ValueType input) {
      int buckets = config.getInt("buckets");
      if (buckets < 2) {
        throw new ConfigException("bucketize: buckets must be at least 2, not " + buckets);
      }
      double[] ranks = new double[buckets - 1];
      for (int i = 1; i < buckets; i++) {
        ranks[i - 1] = (double) i / buckets;
      }
      return new Quantiles(config.getDouble("relativeAccuracy"), acc -> {
        Map<String, Object> s = new LinkedHashMap<>();
        List<Double> b = new ArrayList<>();
        for (double q : acc.distinctQuantiles(ranks)) {
          b.add(q);
        }
        s.put("boundaries", b);
        s.put("count", acc.count());
        s.put("missing", acc.missing);
        return s;
      });
    }
  }

  static final class Vocabulary extends Base {
    Vocabulary() {
      super("vocabulary", "vocabulary of the training split (top-k, min frequency) with an out-of-vocabulary bucket; one-hot or index",
          VocabularyStep.FACTORY);
    }

    @Override
    public ConfigSpec configSpec() {
      return ConfigSpec.of(
          ConfigKey.ofInt("topK").withDefault(0).describedAs("keep the k most frequent values (0 = all)"),
          ConfigKey.ofLong("minFrequency").withDefault(1L).describedAs("drop values seen fewer times than this"),
          ConfigKey.ofString("encoding").withDefault("onehot").withAllowed("onehot", "index")
              .describedAs("onehot: one feature per term plus one for out-of-vocabulary; index: the term's position"));
    }

    @Override
    public Set<ValueType> accepts() {
      return Set.of(ValueType.TEXT);
    }

    @Override
    public ValueType outputType(StageConfig config, ValueType input) {
      return config.getString("encoding").equals("onehot") ? ValueType.ENCODED : ValueType.NUMBER;
    }

    @Override
    public Combine.CombineFn<Object, ?, Map<String, Object>> analyzer(StageConfig config, ValueType input) {
      int topK = config.getInt("topK");
      long minFrequency = config.getLong("minFrequency");
      return new Frequencies((entries, missing) -> {
        List<String> terms = new ArrayList<>();
        long kept = 0;
        for (Map.Entry<Object, Long> e : entries) {
          if (e.getValue() >= minFrequency && (topK <= 0 || terms.size() < topK)) {
            terms.add((String) e.getKey());
            kept += e.getValue();
          }
        }
        long total = entries.stream().mapToLong(Map.Entry::getValue).sum();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("terms", terms);
        s.put("distinct", entries.size());
        s.put("count", total);
        s.put("outOfVocabulary", total - kept);
        s.put("missing", missing);
        return s;
      });
    }
  }

  static final class Impute extends Base {
    Impute() {
      super("impute", "replace missing values (mean, median, most_frequent, constant) with an optional missing indicator",
          ImputeStep.FACTORY);
    }

    @Override
    public ConfigSpec configSpec() {
      return ConfigSpec.of(
          ConfigKey.ofString("strategy").withDefault("mean").withAllowed("mean", "median", "most_frequent", "constant")
              .describedAs("how the replacement is chosen (text takes most_frequent or constant)"),
          ConfigKey.ofString("value").describedAs("the replacement for strategy constant"),
          ConfigKey.ofBoolean("indicator").withDefault(false).describedAs("also write a <column>_missing feature"),
          ConfigKey.ofDouble("relativeAccuracy").withDefault(0.001).describedAs("median sketch relative accuracy"));
    }

    @Override
    public Set<ValueType> accepts() {
      return Set.of(ValueType.NUMBER, ValueType.TEXT);
    }

    @Override
    public ValueType outputType(StageConfig config, ValueType input) {
      return input;
    }

    @Override
    public Combine.CombineFn<Object, ?, Map<String, Object>> analyzer(StageConfig config, ValueType input) {
      String strategy = config.getString("strategy");
      if (input == ValueType.TEXT && (strategy.equals("mean") || strategy.equals("median"))) {
        throw new ConfigException("impute: strategy '" + strategy + "' needs numbers; for text use most_frequent or constant");
      }
      switch (strategy) {
        case "constant":
          if (config.getString("value") == null) {
            throw new ConfigException("impute: strategy constant needs 'value'");
          }
          if (input == ValueType.NUMBER) {
            try {
              Double.parseDouble(config.getString("value"));
            } catch (NumberFormatException e) {
              throw new ConfigException("impute: value '" + config.getString("value") + "' is not a number");
            }
          }
          return null;
        case "mean":
          return new Moments() {
            private static final long serialVersionUID = 1L;

            @Override
            public Map<String, Object> extractOutput(Acc acc) {
              Map<String, Object> m = super.extractOutput(acc);
              return valueState(acc.count == 0 ? null : m.get("mean"), acc.missing);
            }
          };
        case "median":
          return new Quantiles(config.getDouble("relativeAccuracy"),
              acc -> valueState(acc.count() == 0 ? null : acc.distinctQuantiles(new double[] {0.5})[0], acc.missing));
        default:
          return new Frequencies((entries, missing) -> valueState(entries.isEmpty() ? null : entries.get(0).getKey(), missing));
      }
    }

    private static Map<String, Object> valueState(Object value, long missing) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("value", value);
      s.put("missing", missing);
      return s;
    }
  }

  static final class Log1p extends Base {
    Log1p() {
      super("log1p", "log(1 + x); stateless", Log1pStep.FACTORY);
    }
  }

  static final class Hash extends Base {
    Hash() {
      super("hash", "hash text into a fixed number of buckets; stateless", HashStep.FACTORY);
    }

    @Override
    public ConfigSpec configSpec() {
      return ConfigSpec.of(
          ConfigKey.ofInt("buckets").asRequired().describedAs("number of hash buckets"),
          ConfigKey.ofString("encoding").withDefault("index").withAllowed("onehot", "index")
              .describedAs("onehot: one feature per bucket; index: the bucket number"));
    }

    @Override
    public Set<ValueType> accepts() {
      return Set.of(ValueType.TEXT);
    }

    @Override
    public ValueType outputType(StageConfig config, ValueType input) {
      return config.getString("encoding").equals("onehot") ? ValueType.ENCODED : ValueType.NUMBER;
    }
  }

  static final class DateTime extends Base {
    DateTime() {
      super("datetime", "a date or time as calendar parts (year, month, day of week, hour, ...), optionally as sine and cosine; "
          + "stateless", DateTimeStep.FACTORY);
    }

    @Override
    public ConfigSpec configSpec() {
      return ConfigSpec.of(
          ConfigKey.ofString("format").withDefault("iso")
              .describedAs("iso (ISO-8601 date or date-time, optional offset) or a pattern such as yyyy/MM/dd HH:mm"),
          ConfigKey.ofString("timeZone").withDefault("UTC")
              .describedAs("the zone of times without an offset, and the zone the parts are taken in"),
          ConfigKey.ofString("unit").withDefault("seconds").withAllowed("seconds", "milliseconds")
              .describedAs("for a numeric column: seconds or milliseconds since 1970-01-01T00:00Z"),
          ConfigKey.ofStringList("parts").describedAs("the parts to write, in order: " + String.join(", ", DateTimeStep.PARTS)
              + "; default " + String.join(", ", DateTimeStep.DEFAULT_PARTS)),
          ConfigKey.ofBoolean("cyclic").withDefault(false)
              .describedAs("write each cyclic part (all but year and epochDay) as the sine and cosine of its angle in its cycle"));
    }

    @Override
    public Set<ValueType> accepts() {
      return Set.of(ValueType.TEXT, ValueType.NUMBER);
    }

    @Override
    public ValueType outputType(StageConfig config, ValueType input) {
      try {
        DateTimeStep.of(config.displayValues()); // every setting checked when the pipeline is planned
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
      return ValueType.ENCODED;
    }
  }
}
