package dev.beamline.plugins.xgboost;

import dev.beamline.spi.model.Collective;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.IterationMetrics;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.spi.model.TrainedModel;
import dev.beamline.spi.model.Trainer;
import dev.beamline.spi.model.TrainingRows;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Trains an XGBoost booster round by round, recording metrics and stopping early on the validation split. */
final class XGBoostTrainer implements Trainer {
  private static final long serialVersionUID = 1L;
  private static final Set<String> MAXIMIZED = Set.of("auc", "aucpr", "map", "ndcg", "pre");

  private final Task task;
  private final String objective;
  private final int rounds;
  private final int earlyStoppingRounds;
  private final List<String> metrics;
  private final long seed;
  private final int nthread;
  private final Map<String, Object> params;
  /** Whether every round measures the training rows too (the history's train metrics), not only the validation rows. */
  private final boolean trainHistory;

  XGBoostTrainer(Task task, String objective, int rounds, int earlyStoppingRounds, List<String> metrics, long seed,
      int nthread, Map<String, Object> params, boolean trainHistory) {
    this.task = task;
    this.objective = objective;
    this.rounds = rounds;
    this.earlyStoppingRounds = earlyStoppingRounds;
    this.metrics = List.copyOf(metrics);
    this.seed = seed;
    this.nthread = nthread;
    this.params = new LinkedHashMap<>(params);
    this.trainHistory = trainHistory;
  }

  /** The booster parameters, as passed to XGBoost. */
  Map<String, Object> boosterParams() {
    Map<String, Object> p = new HashMap<>();
    p.put("tree_method", "hist");
    p.putAll(params);
    p.put("objective", objective);
    p.put("seed", seed);
    p.put("verbosity", params.getOrDefault("verbosity", 1));
    if (nthread > 0) {
      p.put("nthread", nthread);
    }
    if (task.type() == TaskType.MULTICLASS) {
      p.put("num_class", task.numClasses());
    }
    return p;
  }

  /**
   * Whether the training rows go to XGBoost as a quantile matrix ({@link QuantileMatrix}): dense rows, trees
   * grown by {@code hist} (the default; the quantile matrix holds bins, which {@code exact} and {@code approx}
   * cannot use), and XGBoost's C API reachable.
   */
  private boolean quantileMatrix(TrainingRows train) {
    Map<String, Object> p = boosterParams();
    return !train.isSparse() && "hist".equals(String.valueOf(p.get("tree_method")))
        && !linear() && QuantileMatrix.available();
  }

  /** Whether the booster is linear ({@code gblinear}). */
  private boolean linear() {
    return "gblinear".equals(String.valueOf(boosterParams().getOrDefault("booster", "gbtree")));
  }

  /** A linear model's importance: each feature's largest absolute weight (comparable when the features are standardized). */
  @SuppressWarnings("unchecked")
  private static Map<String, Double> magnitudes(Map<String, Object> linear) {
    Map<String, Double> largest = new HashMap<>();
    Map<String, Object> coefficients = (Map<String, Object>) linear.get("coefficients");
    for (Map.Entry<String, Object> e : coefficients.entrySet()) {
      if (e.getValue() instanceof Map<?, ?> perClass) {
        perClass.forEach((f, w) -> largest.merge((String) f, Math.abs((Double) w), Math::max));
      } else {
        largest.merge(e.getKey(), Math.abs((Double) e.getValue()), Math::max);
      }
    }
    Map<String, Double> sorted = new LinkedHashMap<>();
    largest.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** The booster's {@code max_bin} (XGBoost's default 256): the quantile matrix must cut at the trainer's bins. */
  private int maxBin() {
    Object v = params.get("max_bin");
    return v == null ? 256 : v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).trim());
  }

  /**
   * Trains as one member of a group: the matrices' quantile sketches, every round's histograms and the metrics are
   * summed over the group (XGBoost's allreduce), so every member grows the same trees and stops at the same round.
   */
  @Override
  public TrainedModel train(FeatureMatrix train, FeatureMatrix validation, Collective.Member member) throws Exception {
    return train((TrainingRows) train, validation, member);
  }

  @Override
  public TrainedModel train(TrainingRows train, TrainingRows validation, Collective.Member member) throws Exception {
    return XGBoostCollective.asMember(member, () -> {
      TrainedModel model = train(train, validation);
      Map<String, Object> info = new LinkedHashMap<>(model.info());
      info.put("workers", member.workers());
      info.put("memberTrainRows", train.rows());
      info.put("trainRows", sum(train.rows()));
      info.put("validationRows", sum(validation == null ? 0 : validation.rows()));
      return new TrainedModel(model.fileName(), model.bytes(), model.flavor(), model.flavorProperties(), model.history(),
          model.bestIteration(), info);
    });
  }

  /**
   * A count summed over the group. The collective sums floats, exact below 2^24: the count goes in three 11-bit
   * parts, each summed exactly over up to 8,192 workers.
   */
  static long sum(int count) {
    float[] sums = ml.dmlc.xgboost4j.java.Communicator.allReduce(new float[] {count >>> 22, (count >>> 11) & 0x7FF, count & 0x7FF},
        ml.dmlc.xgboost4j.java.Communicator.OpType.SUM);
    return ((long) sums[0] << 22) + ((long) sums[1] << 11) + (long) sums[2];
  }

  @Override
  public TrainedModel train(FeatureMatrix train, FeatureMatrix validation) throws XGBoostError, IOException {
    return train((TrainingRows) train, validation);
  }

  /**
   * Trains on the rows part by part when they go to XGBoost as a quantile matrix (the parts are read in each of
   * XGBoost's passes, and no whole copy of the rows is made); otherwise on the joined matrices.
   */
  @Override
  public TrainedModel train(TrainingRows train, TrainingRows validation) throws XGBoostError, IOException {
    if (earlyStoppingRounds > 0 && validation == null) {
      throw new dev.beamline.spi.config.ConfigException("trainer.earlyStoppingRounds needs a validation split; "
          + "add split.validationFraction or a validation source, or set earlyStoppingRounds: 0");
    }
    long started = System.nanoTime();
    boolean quantile = quantileMatrix(train);
    DMatrix dtrain = quantile ? QuantileMatrix.of(train, maxBin(), nthread) : Matrices.toDMatrix(train.matrix());
    DMatrix dvalid = validation == null ? null
        : quantile ? QuantileMatrix.of(validation, dtrain, maxBin(), nthread) : Matrices.toDMatrix(validation.matrix());
    long matrixNanos = System.nanoTime() - started;
    long evalNanos = 0;
    try {
      Map<String, DMatrix> watches = new LinkedHashMap<>();
      Booster booster = XGBoost.train(dtrain, boosterParams(), 0, watches, null, null);
      for (String m : metrics) {
        booster.setParam("eval_metric", m);
      }
      List<DMatrix> sets = new ArrayList<>();
      List<String> names = new ArrayList<>();
      if (trainHistory) {
        sets.add(dtrain);
        names.add("train");
      }
      if (dvalid != null) {
        sets.add(dvalid);
        names.add("validation");
      }
      DMatrix[] evalSets = sets.toArray(DMatrix[]::new);
      String[] evalNames = names.toArray(String[]::new);
      String stopMetric = metrics.get(metrics.size() - 1);
      boolean maximize = MAXIMIZED.contains(stopMetric.split("@")[0]);
      List<IterationMetrics> history = new ArrayList<>();
      double best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
      int bestIteration = -1;
      for (int i = 0; i < rounds; i++) {
        booster.update(dtrain, i);
        if (evalSets.length == 0) {
          continue; // no history asked for, nothing to stop on
        }
        long evalStarted = System.nanoTime();
        Map<String, Map<String, Double>> measured = parseEval(booster.evalSet(evalSets, evalNames, i));
        evalNanos += System.nanoTime() - evalStarted;
        history.add(new IterationMetrics(i, measured));
        if (earlyStoppingRounds > 0) {
          double score = measured.get("validation").get(stopMetric);
          if (Double.isNaN(score)) {
            throw new dev.beamline.spi.config.ConfigException("early stopping: the validation " + stopMetric + " is undefined (nan) at round "
                + i + (stopMetric.startsWith("auc") ? ", as it is when the validation rows hold one class only" : "")
                + "; stop on another metric (the last of trainer.evalMetrics) or give the validation split rows of every class");
          }
          if (maximize ? score > best : score < best) {
            best = score;
            bestIteration = i;
          } else if (i - bestIteration >= earlyStoppingRounds) {
            break;
          }
        }
      }
      if (earlyStoppingRounds <= 0 || bestIteration == history.size() - 1) {
        bestIteration = history.isEmpty() ? rounds - 1 : history.size() - 1; // no history: every round was trained
      } else {
        // The model must stop at the best round, for Python's mlflow too. Java's Booster cannot be sliced,
        // and a snapshot at every improvement costs O(rounds^2) serialization; training again for exactly
        // bestIteration + 1 rounds is linear and, with the same seed and data, grows the same trees.
        booster.dispose();
        booster = XGBoost.train(dtrain, boosterParams(), bestIteration + 1, new LinkedHashMap<>(), null, null);
        for (String m : metrics) {
          booster.setParam("eval_metric", m);
        }
        double again = parseEval(booster.evalSet(evalSets, evalNames, bestIteration)).get("validation").get(stopMetric);
        if (again != best) {
          throw new IllegalStateException("XGBoost did not retrace its own training: validation " + stopMetric + " at round "
              + bestIteration + " was " + best + ", retrained " + again + "; set earlyStoppingRounds: 0 or report this");
        }
      }
      byte[] bestModel = booster.toByteArray("ubj");
      Map<String, Object> linear = linear() ? LinearWeights.of(booster.toByteArray("json"), train.featureNames(), task) : null;
      Map<String, Double> importance = linear == null ? importance(booster, train.featureNames()) : magnitudes(linear);
      booster.dispose();
      Map<String, Object> flavor = new LinkedHashMap<>();
      flavor.put("model_format", "ubj");
      flavor.put("xgb_version", xgboostVersion());
      flavor.put("model_class", "xgboost.core.Booster");
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("trainRows", train.rows());
      info.put("validationRows", validation == null ? 0 : validation.rows());
      info.put("features", train.columns());
      info.put("roundsRun", history.isEmpty() ? rounds : history.size());
      info.put("bestIteration", bestIteration);
      info.put("objective", objective);
      info.put("boosterParams", new java.util.TreeMap<>(boosterParams()).toString());
      info.put("trainMillis", (System.nanoTime() - started) / 1_000_000);
      info.put("matrixMillis", matrixNanos / 1_000_000);
      info.put("matrix", quantile ? "quantile" : train.isSparse() ? "sparse" : "dense");
      info.put("evalMillis", evalNanos / 1_000_000);
      info.put(TrainedModel.IMPORTANCE, importance);
      if (linear != null) {
        info.putAll(linear);
      }
      return new TrainedModel("model.ubj", bestModel, "xgboost", flavor, history.subList(0, history.size()),
          bestIteration, info);
    } finally {
      dtrain.dispose();
      if (dvalid != null) {
        dvalid.dispose();
      }
    }
  }

  /** Each used feature's gain (the average gain of its splits), largest first; features never split on are left out. */
  private static Map<String, Double> importance(Booster booster, List<String> featureNames) throws XGBoostError {
    Map<String, Double> gain = booster.getScore(featureNames.toArray(String[]::new), "gain");
    Map<String, Double> sorted = new LinkedHashMap<>();
    gain.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** Parses {@code [3]\ttrain-logloss:0.12\tvalidation-auc:0.9} into split -> metric -> value. */
  static Map<String, Map<String, Double>> parseEval(String line) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    String[] parts = line.trim().split("\t");
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i];
      int dash = part.indexOf('-');
      int colon = part.lastIndexOf(':');
      if (dash < 0 || colon < dash) {
        continue;
      }
      out.computeIfAbsent(part.substring(0, dash), k -> new LinkedHashMap<>())
          .put(part.substring(dash + 1, colon), number(part.substring(colon + 1)));
    }
    return out;
  }

  /** A metric's value as XGBoost prints it: a number, or nan / inf / -inf. */
  private static double number(String text) {
    return switch (text) {
      case "nan", "-nan" -> Double.NaN;
      case "inf" -> Double.POSITIVE_INFINITY;
      case "-inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  @Override
  public Predictor predictor(byte[] model) throws XGBoostError, IOException {
    return new XGBoostPredictor(XGBoost.loadModel(model));
  }

  static String xgboostVersion() {
    try (InputStream in = XGBoost.class.getResourceAsStream("/META-INF/maven/ml.dmlc/xgboost4j_2.12/pom.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * A booster held for prediction. Batches of up to {@link #SMALL} dense rows are scored by the plain-Java
   * {@link TreeEnsemble} (no lock, no native call: what an online request needs); larger batches and sparse
   * rows by XGBoost's native predictor, one call at a time.
   */
  static final class XGBoostPredictor implements Predictor {
    /**
     * The most rows the Java evaluator takes. Measured on adult's model (351 trees of depth 6, 112 features,
     * 2 cores; benchmarks/single-row.sh): one row costs ~7 us in Java (complete trees; ~14 us by the trees' links) and ~150 us natively (a fixed cost per call: proxy matrix,
     * configuration, OpenMP); per further row ~10-16 us in Java and ~9 us natively, so from a few dozen
     * rows on the native predictor is as fast alone. But it takes one call at a time, and the Java one runs
     * on every request thread at once: 100-row requests at concurrency 16 through the server, about 850
     * requests/s in Java against 386 natively. Blocks of thousands of rows (batch scoring) stay native.
     */
    static final int SMALL = 256;
    private final Booster booster;
    /** Compiled on the first small batch (a training run's predict stage, which scores blocks, never pays for it). */
    private volatile Optional<TreeEnsemble> trees;
    /** Whether the booster predicts in place (a tree booster does; gblinear does not). */
    private boolean inplace = true;

    XGBoostPredictor(Booster booster) {
      this.booster = booster;
    }

    @Override
    public float[][] predict(FeatureMatrix rows) {
      if (!rows.isSparse() && rows.rows() <= SMALL) {
        Optional<TreeEnsemble> t = trees();
        if (t.isPresent()) {
          return t.get().predict(rows.values(), rows.rows(), rows.columns());
        }
      }
      return predictNatively(rows);
    }

    private Optional<TreeEnsemble> trees() {
      Optional<TreeEnsemble> t = trees;
      if (t == null) {
        synchronized (this) {
          if (trees == null) {
            try {
              trees = TreeEnsemble.compile(booster.toByteArray("json"));
            } catch (XGBoostError | IOException e) {
              throw new IllegalStateException("cannot read the XGBoost model's trees: " + e.getMessage(), e);
            }
          }
          t = trees;
        }
      }
      return t;
    }

    /** Whether small batches are evaluated in Java. */
    boolean evaluatesInJava() {
      return trees().isPresent();
    }

    /** Whether the Java evaluator walks the trees as complete binary trees (shallow trees) rather than by their links. */
    boolean walksCompleteTrees() {
      return trees().map(TreeEnsemble::walksCompleteTrees).orElse(false);
    }

    /** XGBoost's own predictor (tests compare the two). */
    synchronized float[][] predictNatively(FeatureMatrix rows) {
      try {
        if (rows.rows() == 0) {
          return new float[0][];
        }
        if (!rows.isSparse() && inplace) {
          // Dense rows are scored in place, without building a DMatrix: about 40% less time per block, the same scores.
          try {
            return booster.inplace_predict(rows.values(), rows.rows(), rows.columns(), Float.NaN);
          } catch (XGBoostError e) {
            if (!String.valueOf(e.getMessage()).contains("Inplace predict is not supported")) {
              throw e;
            }
            inplace = false; // a linear booster: through a DMatrix from now on
          }
        }
        DMatrix d = Matrices.features(rows);
        try {
          return booster.predict(d);
        } finally {
          d.dispose();
        }
      } catch (XGBoostError e) {
        throw new IllegalStateException("XGBoost prediction failed: " + e.getMessage(), e);
      }
    }

    @Override
    public synchronized void close() {
      booster.dispose();
    }
  }
}
