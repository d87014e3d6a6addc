package dev.beamline.core.spec;

import dev.beamline.core.spec.TuningSpec.Dimension;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code tuning} section. What it can check alone it checks here (shapes, ranges, the strategy);
 * whether each searched key is a setting of the trainer, and the metric one of the evaluator's, the planner
 * checks against the plugins.
 */
final class TuningParser {
  private static final Set<String> KEYS = Set.of("strategy", "trials", "maxMinutes", "metric", "direction", "folds", "stratified",
      "groupBy", "space", "reduction");
  private static final Set<String> KINDS = Set.of("choice", "uniform", "logUniform", "intRange");
  /** The most values a grid may have: beyond it, use random search. */
  static final long MAX_GRID = 100_000;

  private TuningParser() {}

  static TuningSpec parse(Node root, String task) {
    if (!root.has("tuning")) {
      return null;
    }
    Node t = root.child("tuning", false, "").only(KEYS);
    String strategy = t.string("strategy", "random");
    if (!Set.of("random", "grid", "halving").contains(strategy)) {
      throw t.error("strategy", "'" + strategy + "' is not a search strategy; use random, grid or halving");
    }
    Map<String, Dimension> space = new LinkedHashMap<>();
    if (t.has("space")) {
      dimensions(t.child("space", false, ""), "", space);
    }
    long trials = t.integer("trials", strategy.equals("grid") || space.isEmpty() ? 0 : 10);
    if (trials < 0 || trials > 10_000) {
      throw t.error("trials", "must be between 1 and 10000 (with grid, leave it out to run every combination)");
    }
    if (!strategy.equals("grid") && !space.isEmpty() && trials == 0) {
      throw t.error("trials", "a " + strategy + " search needs a number of trials, e.g. trials: 20");
    }
    int reduction = (int) t.integer("reduction", strategy.equals("halving") ? 3 : 0);
    if (strategy.equals("halving")) {
      if (reduction < 2 || reduction > 10) {
        throw t.error("reduction", "must be between 2 and 10: each rung keeps the best 1/reduction of the trials");
      }
      if (space.containsKey("rounds")) {
        throw t.error("space.rounds", "halving sets the rounds itself, rung by rung, up to trainer.rounds; remove rounds from the space");
      }
      if (space.isEmpty() || trials < reduction) {
        throw t.error("trials", "halving needs a space and at least reduction (" + reduction + ") trials, e.g. trials: 27");
      }
    } else if (t.has("reduction")) {
      throw t.error("reduction", "applies to strategy: halving");
    }
    if (strategy.equals("grid")) {
      long size = 1;
      for (Dimension d : space.values()) {
        if (d.gridSize() < 0) {
          throw t.error("space." + d.key().substring("tuning.space.".length()), "a grid takes choice or intRange settings; draw "
              + d.kind() + " ranges with strategy: random, or list the values to try with choice: [...]");
        }
        size = Math.multiplyExact(size, d.gridSize());
        if (size > MAX_GRID) {
          throw t.error("space", "the grid has more than " + MAX_GRID + " combinations; use strategy: random with a number of trials");
        }
      }
    }
    double maxMinutes = t.number("maxMinutes", 0);
    if (!(maxMinutes >= 0)) {
      throw t.error("maxMinutes", "must be 0 (no limit) or more");
    }
    String metric = t.requiredString("metric", "name the evaluator metric that ranks the trials, e.g. metric: auc");
    String direction = t.string("direction", defaultDirection(metric));
    if (direction == null) {
      throw t.error("direction", "missing; say whether a higher '" + metric + "' is better: direction: maximize or minimize");
    }
    if (!direction.equals("maximize") && !direction.equals("minimize")) {
      throw t.error("direction", "'" + direction + "' is not a direction; use maximize or minimize");
    }
    int folds = folds(t);
    boolean classification = !task.equals("regression") && !task.equals("clustering");
    boolean stratified = t.bool("stratified", classification);
    if (stratified && !classification) {
      throw t.error("stratified", "only classification folds can keep the classes' proportions; remove it for " + task);
    }
    String groupBy = t.string("groupBy", null);
    if (folds == 0 && (groupBy != null || t.has("stratified"))) {
      throw t.error(groupBy != null ? "groupBy" : "stratified", "applies to folds; trials scored on the validation split (folds: split) "
          + "use the pipeline's split as it is");
    }
    if (groupBy != null && stratified && t.has("stratified")) {
      throw t.error("groupBy", "folds are either grouped or stratified; remove stratified: true");
    }
    return new TuningSpec(strategy, (int) trials, maxMinutes, metric, direction.equals("maximize"), folds,
        groupBy == null && stratified, groupBy, space, reduction, t.path());
  }

  /** {@code folds: 3} (k-fold cross-validation, 2 to 20) or {@code folds: split} (the pipeline's validation split), default 3. */
  private static int folds(Node t) {
    Object raw = t.raw("folds");
    if ("split".equals(raw)) {
      return 0;
    }
    long folds = t.integer("folds", 3);
    if (folds < 2 || folds > 20) {
      throw t.error("folds", "must be between 2 and 20 (k-fold cross-validation), or split to score trials on the validation split");
    }
    return (int) folds;
  }

  /** The direction of the metrics whose direction nobody doubts; null for the others (the user says). */
  static String defaultDirection(String metric) {
    String m = metric.toLowerCase(java.util.Locale.ROOT);
    if (Set.of("auc", "aucpr", "pr_auc", "accuracy", "f1", "precision", "recall", "r2", "macro_f1", "weighted_f1",
        "balanced_accuracy", "ndcg", "map", "silhouette", "ari").contains(m)) {
      return "maximize";
    }
    if (m.contains("loss") || m.contains("error") || Set.of("rmse", "mae", "mse", "brier", "mape", "rmsle", "inertia").contains(m)) {
      return "minimize";
    }
    return null;
  }

  /** The space's settings: a map with one key of {@link #KINDS} is a setting; another map nests keys (params: {eta: ...}). */
  private static void dimensions(Node node, String prefix, Map<String, Dimension> out) {
    if (node.map().isEmpty()) {
      throw node.error(null, "give each searched setting a range, e.g. eta: {logUniform: [0.01, 0.3]}");
    }
    for (Map.Entry<String, Node> e : node.entries()) {
      Node d = e.getValue();
      String key = prefix + e.getKey();
      if (d.map().keySet().stream().anyMatch(KINDS::contains)) {
        out.put(key, dimension(d));
      } else {
        dimensions(d, key + ".", out);
      }
    }
  }

  private static Dimension dimension(Node d) {
    d.only(KINDS);
    if (d.map().size() != 1) {
      throw d.error(null, "give one of choice, uniform, logUniform or intRange");
    }
    String kind = d.map().keySet().iterator().next();
    Object raw = d.raw(kind);
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw d.error(kind, kind.equals("choice") ? "list the values to try, e.g. choice: [3, 6, 9]" : "give [low, high], e.g. " + kind
          + ": " + (kind.equals("intRange") ? "[3, 10]" : "[0.01, 0.3]"));
    }
    if (kind.equals("choice")) {
      for (Object v : list) {
        if (v == null || v instanceof Map) {
          throw d.error(kind, "a choice is a value (a number, text, true/false or a list)");
        }
      }
      return new Dimension(kind, List.copyOf(list), Double.NaN, Double.NaN, d.path());
    }
    if (list.size() != 2 || !(list.get(0) instanceof Number lo) || !(list.get(1) instanceof Number hi)) {
      throw d.error(kind, "give [low, high] as two numbers, e.g. " + kind + ": [0.01, 0.3]");
    }
    double low = lo.doubleValue();
    double high = hi.doubleValue();
    if (!(low <= high)) {
      throw d.error(kind, "low (" + lo + ") is above high (" + hi + ")");
    }
    if (kind.equals("logUniform") && !(low > 0)) {
      throw d.error(kind, "a log-uniform range must be above 0, e.g. [0.001, 0.3]");
    }
    if (kind.equals("intRange") && (low != Math.rint(low) || high != Math.rint(high))) {
      throw d.error(kind, "an integer range takes whole numbers, e.g. [3, 10]");
    }
    return new Dimension(kind, List.of(), low, high, d.path());
  }
}
