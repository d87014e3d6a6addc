package dev.beamline.plugins.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * An XGBoost tree ensemble evaluated in plain Java, for small batches: a call into XGBoost's native
 * predictor costs about 0.2 ms whatever the rows (proxy matrix, configuration, OpenMP), far more than
 * walking a few hundred trees for one row. Built from the model's JSON form; the same arithmetic as
 * XGBoost's CPU predictor (float thresholds, {@code value < split} goes left, a missing value takes the
 * default branch, leaves summed in float in tree order onto the base margin), so predictions agree with
 * the native ones (the tests hold them to 1e-6). Immutable and thread-safe.
 *
 * <p>Only plain gradient-boosted trees with numerical splits and the objectives listed in
 * {@link #OBJECTIVES} are compiled; any other model ({@code gblinear}, {@code dart}, categorical splits,
 * vector leaves) gets {@link Optional#empty()} and stays with the native predictor.
 */
final class TreeEnsemble {
  /** The objectives whose output transformation this class applies. */
  static final Set<String> OBJECTIVES = Set.of("binary:logistic", "multi:softprob", "reg:squarederror", "reg:absoluteerror",
      "reg:pseudohubererror", "reg:squaredlogerror", "count:poisson", "reg:gamma", "reg:tweedie");

  private enum Link { LOGISTIC, SOFTMAX, IDENTITY, EXP }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int features;
  private final int classes;
  private final Link link;
  private final float[] baseMargin;
  /** Where each tree's root is in {@link #nodes}. */
  private final int[] roots;
  private final int[] treeClass;
  /**
   * Every node of every tree in one array, three ints a node so that a node is one memory access:
   * {@code [feature << 1 | defaultLeft, or -1 for a leaf; the left child's position (the right child
   * follows it); the split threshold's or the leaf value's float bits]}. Nodes are laid out breadth first
   * with siblings side by side.
   */
  private final int[] nodes;

  private TreeEnsemble(int features, int classes, Link link, float[] baseMargin, int[] roots, int[] treeClass, int[] nodes) {
    this.features = features;
    this.classes = classes;
    this.link = link;
    this.baseMargin = baseMargin;
    this.roots = roots;
    this.treeClass = treeClass;
    this.nodes = nodes;
  }

  /** Compiles a model from XGBoost's JSON form, or empty when it is not a kind this class evaluates. */
  static Optional<TreeEnsemble> compile(byte[] json) throws IOException {
    JsonNode learner = JSON.readTree(json).path("learner");
    String objective = learner.path("objective").path("name").asText();
    JsonNode booster = learner.path("gradient_booster");
    if (!OBJECTIVES.contains(objective) || !booster.path("name").asText().equals("gbtree")) {
      return Optional.empty();
    }
    JsonNode params = learner.path("learner_model_param");
    int numClass = Integer.parseInt(params.path("num_class").asText("0"));
    int classes = objective.equals("multi:softprob") ? numClass : 1;
    if (!params.path("num_target").asText("1").equals("1") || classes < 1) {
      return Optional.empty();
    }
    Link link = switch (objective) {
      case "binary:logistic" -> Link.LOGISTIC;
      case "multi:softprob" -> Link.SOFTMAX;
      case "count:poisson", "reg:gamma", "reg:tweedie" -> Link.EXP;
      default -> Link.IDENTITY;
    };
    float[] base = baseScores(params.path("base_score").asText(), classes);
    float[] baseMargin = new float[classes];
    for (int k = 0; k < classes; k++) {
      baseMargin[k] = switch (link) {
        case LOGISTIC -> (float) -Math.log(1.0 / base[k] - 1.0);
        case EXP -> (float) Math.log(base[k]);
        default -> base[k];
      };
    }
    JsonNode trees = booster.path("model").path("trees");
    JsonNode info = booster.path("model").path("tree_info");
    int total = 0;
    for (JsonNode t : trees) {
      total += t.path("left_children").size();
    }
    int[] roots = new int[trees.size()];
    int[] treeClass = new int[trees.size()];
    int[] nodes = new int[total * 3];
    int at = 0;
    for (int t = 0; t < trees.size(); t++) {
      JsonNode tree = trees.get(t);
      treeClass[t] = info.get(t).asInt();
      if (!tree.path("tree_param").path("size_leaf_vector").asText("1").matches("[01]") || treeClass[t] < 0 || treeClass[t] >= classes) {
        return Optional.empty();
      }
      roots[t] = at * 3;
      int placed = layOut(tree, nodes, at);
      if (placed < 0) {
        return Optional.empty();
      }
      at += placed;
    }
    int features = Integer.parseInt(params.path("num_feature").asText("0"));
    return Optional.of(new TreeEnsemble(features, classes, link, baseMargin, roots, treeClass, nodes));
  }

  /**
   * Writes one tree's nodes breadth first from node position {@code at}, each pair of children side by side;
   * returns how many nodes it wrote, or -1 when the tree has a split this class does not evaluate.
   */
  private static int layOut(JsonNode tree, int[] nodes, int at) {
    JsonNode left = tree.path("left_children");
    JsonNode right = tree.path("right_children");
    JsonNode types = tree.path("split_type");
    JsonNode features = tree.path("split_indices");
    JsonNode conditions = tree.path("split_conditions");
    JsonNode defaults = tree.path("default_left");
    int[] queue = new int[left.size()];
    int head = 0;
    int tail = 0;
    queue[tail++] = 0;
    while (head < tail) {
      int id = queue[head];
      int pos = (at + head) * 3;
      head++;
      int l = left.get(id).asInt();
      nodes[pos + 2] = Float.floatToRawIntBits((float) conditions.get(id).asDouble());
      if (l < 0) {
        nodes[pos] = -1;
        continue;
      }
      if (types.size() > id && types.get(id).asInt() != 0) {
        return -1; // a categorical split
      }
      JsonNode d = defaults.get(id);
      boolean defaultLeft = d.isBoolean() ? d.asBoolean() : d.asInt() != 0;
      nodes[pos] = features.get(id).asInt() << 1 | (defaultLeft ? 1 : 0);
      nodes[pos + 1] = (at + tail) * 3;
      queue[tail++] = l;
      queue[tail++] = right.get(id).asInt();
    }
    return tail;
  }

  /** XGBoost 3 writes the base score as {@code [a,b,...]}, older versions as one number. */
  private static float[] baseScores(String text, int classes) {
    String[] parts = text.replace("[", "").replace("]", "").split(",");
    float[] out = new float[classes];
    for (int k = 0; k < classes; k++) {
      out[k] = Float.parseFloat(parts[parts.length == 1 ? 0 : k].trim());
    }
    return out;
  }

  /** How many features a row has. */
  int features() {
    return features;
  }

  /**
   * Predicts dense rows ({@code NaN} = missing): one array per row, as XGBoost's predict gives. Trees are the
   * outer loop, so one tree's nodes serve every row while they are in the cache; each row's margins still
   * add the trees' leaves in tree order, as XGBoost does.
   */
  float[][] predict(float[] rows, int n, int columns) {
    float[] margins = new float[n * classes];
    for (int r = 0; r < n; r++) {
      System.arraycopy(baseMargin, 0, margins, r * classes, classes);
    }
    int[] nodes = this.nodes;
    for (int t = 0; t < roots.length; t++) {
      int root = roots[t];
      int k = treeClass[t];
      for (int r = 0, offset = 0; r < n; r++, offset += columns) {
        int i = root;
        int meta;
        while ((meta = nodes[i]) >= 0) {
          int f = meta >>> 1;
          float x = f < columns ? rows[offset + f] : Float.NaN;
          boolean goLeft = x != x ? (meta & 1) != 0 : x < Float.intBitsToFloat(nodes[i + 2]);
          i = goLeft ? nodes[i + 1] : nodes[i + 1] + 3;
        }
        margins[r * classes + k] += Float.intBitsToFloat(nodes[i + 2]);
      }
    }
    float[][] out = new float[n][];
    float[] margin = new float[classes];
    for (int r = 0; r < n; r++) {
      System.arraycopy(margins, r * classes, margin, 0, classes);
      out[r] = transform(margin);
    }
    return out;
  }

  private float[] transform(float[] margin) {
    switch (link) {
      case LOGISTIC:
        return new float[] {(float) (1.0 / (1.0 + Math.exp(-margin[0])))};
      case EXP:
        return new float[] {(float) Math.exp(margin[0])};
      case IDENTITY:
        return new float[] {margin[0]};
      default:
        float max = margin[0];
        for (float m : margin) {
          max = Math.max(max, m);
        }
        double sum = 0;
        double[] e = new double[margin.length];
        for (int k = 0; k < margin.length; k++) {
          e[k] = Math.exp(margin[k] - max);
          sum += e[k];
        }
        float[] p = new float[margin.length];
        for (int k = 0; k < margin.length; k++) {
          p[k] = (float) (e[k] / sum);
        }
        return p;
    }
  }
}
