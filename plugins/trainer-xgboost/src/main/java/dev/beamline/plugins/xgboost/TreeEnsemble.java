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
  /** The same trees as complete binary trees when they are shallow enough, else null: see {@link Complete}. */
  private final Complete complete;

  private TreeEnsemble(int features, int classes, Link link, float[] baseMargin, int[] roots, int[] treeClass, int[] nodes,
      boolean completeTrees) {
    this.features = features;
    this.classes = classes;
    this.link = link;
    this.baseMargin = baseMargin;
    this.roots = roots;
    this.treeClass = treeClass;
    this.nodes = nodes;
    this.complete = completeTrees ? Complete.of(roots, nodes, Math.max(features, maxFeature(nodes) + 1)) : null;
  }

  /**
   * An int in the order of the floats, {@code -0.0} as {@code 0.0} (as float comparison has them); for a
   * number (not NaN) never {@code Integer.MIN_VALUE} or {@code MAX_VALUE}.
   */
  static int sortable(float v) {
    int bits = Float.floatToRawIntBits(v == 0 ? 0f : v);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }

  /** The highest feature index any split reads. */
  private static int maxFeature(int[] nodes) {
    int max = -1;
    for (int i = 0; i < nodes.length; i += 3) {
      max = Math.max(max, nodes[i] >>> 1);
    }
    return max;
  }

  /** Whether the trees are walked as complete binary trees (all of them at most {@link Complete#MAX_DEPTH} deep). */
  boolean walksCompleteTrees() {
    return complete != null;
  }

  /** Compiles a model from XGBoost's JSON form, or empty when it is not a kind this class evaluates. */
  static Optional<TreeEnsemble> compile(byte[] json) throws IOException {
    return compile(json, true);
  }

  /** As {@link #compile(byte[])}; {@code completeTrees} false keeps the walk by the trees' links (benchmarks compare the two). */
  static Optional<TreeEnsemble> compile(byte[] json, boolean completeTrees) throws IOException {
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
    return Optional.of(new TreeEnsemble(features, classes, link, baseMargin, roots, treeClass, nodes, completeTrees));
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
   * Predicts dense rows ({@code NaN} = missing): one array per row, as XGBoost's predict gives. Each row's
   * margins add the trees' leaves in tree order, as XGBoost does.
   */
  float[][] predict(float[] rows, int n, int columns) {
    float[] margins = new float[n * classes];
    for (int r = 0; r < n; r++) {
      System.arraycopy(baseMargin, 0, margins, r * classes, classes);
    }
    if (complete != null && columns <= complete.width) {
      int[] row = new int[2 * complete.width];
      for (int r = 0; r < n; r++) {
        complete.add(complete.doubled(rows, r * columns, columns, row), treeClass, margins, r * classes);
      }
    } else {
      walkNodes(rows, n, columns, margins);
    }
    float[][] out = new float[n][];
    float[] margin = new float[classes];
    for (int r = 0; r < n; r++) {
      System.arraycopy(margins, r * classes, margin, 0, classes);
      out[r] = transform(margin);
    }
    return out;
  }

  /**
   * Adds every tree's leaf to the rows' margins by following child links, trees the outer loop so that one
   * tree's nodes serve every row while they are in the cache.
   */
  private void walkNodes(float[] rows, int n, int columns, float[] margins) {
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
  }

  /**
   * The trees padded to complete binary trees of one depth, in heap order (node k's children are 2k+1 and
   * 2k+2), so that a walk is a fixed number of steps with no leaf test, no child links and no branch: a
   * walk's time no longer depends on mispredicted branches, and eight trees are walked side by side so that
   * their memory reads overlap. The step compares integers: each value of the row and each threshold is
   * mapped to an int of the same order ({@link #sortable}), and the row is held twice, once with a missing
   * value above every number (read by splits whose missing values go right) and once below (splits whose
   * missing values go left), so that "{@code x >= threshold} goes right" holds for missing values too. A
   * leaf above the last level becomes splits that always go left onto copies of its value. Used when every
   * tree is at most {@link #MAX_DEPTH} deep (XGBoost's default is 6); deeper trees keep the node walk.
   */
  private static final class Complete {
    static final int MAX_DEPTH = 8;
    /** How many trees are walked side by side. */
    static final int WAYS = 8;

    private final int depth;
    private final int inner;
    private final int width;
    /**
     * Per inner node of each tree, side by side: where its feature is in the doubled row ({@code f}, or
     * {@code width + f} when a missing value goes left) and its threshold as a sortable int.
     */
    private final int[] inners;
    /** Per leaf slot of each tree: the leaf's value. */
    private final float[] leaf;

    private Complete(int depth, int trees, int width) {
      this.depth = depth;
      this.inner = (1 << depth) - 1;
      this.width = width;
      this.inners = new int[2 * trees * inner];
      this.leaf = new float[trees * (inner + 1)];
    }

    /** The trees as complete trees over rows of {@code width} features, or null when one is deeper than {@link #MAX_DEPTH}. */
    static Complete of(int[] roots, int[] nodes, int width) {
      int depth = 0;
      for (int root : roots) {
        depth = Math.max(depth, depthOf(nodes, root));
        if (depth > MAX_DEPTH) {
          return null;
        }
      }
      Complete c = new Complete(depth, roots.length, width);
      for (int t = 0; t < roots.length; t++) {
        c.fill(nodes, roots[t], t, 0, 0);
      }
      return c;
    }

    private static int depthOf(int[] nodes, int i) {
      return nodes[i] < 0 ? 0 : 1 + Math.max(depthOf(nodes, nodes[i + 1]), depthOf(nodes, nodes[i + 1] + 3));
    }

    /** Writes node {@code i} of tree {@code t} at heap position {@code k} of level {@code level}, and what is below it. */
    private void fill(int[] nodes, int i, int t, int k, int level) {
      if (level == depth) {
        leaf[t * (inner + 1) + k - inner] = Float.intBitsToFloat(nodes[i + 2]);
        return;
      }
      int at = 2 * (t * inner + k);
      boolean isLeaf = nodes[i] < 0;
      if (isLeaf) {
        inners[at] = width;                        // a value of the row where missing is lowest ...
        inners[at + 1] = Integer.MAX_VALUE;        // ... is never at least this: always left
      } else {
        int feature = nodes[i] >>> 1;
        inners[at] = (nodes[i] & 1) != 0 ? width + feature : feature;
        inners[at + 1] = sortable(Float.intBitsToFloat(nodes[i + 2]));
      }
      fill(nodes, isLeaf ? i : nodes[i + 1], t, 2 * k + 1, level + 1);
      fill(nodes, isLeaf ? i : nodes[i + 1] + 3, t, 2 * k + 2, level + 1);
    }

    /** The row at {@code offset} ({@code columns} values, NaN = missing) twice: missing highest, then missing lowest. */
    int[] doubled(float[] rows, int offset, int columns, int[] out) {
      for (int f = 0; f < width; f++) {
        float x = f < columns ? rows[offset + f] : Float.NaN;
        boolean missing = x != x;
        int v = missing ? 0 : sortable(x);
        out[f] = missing ? Integer.MAX_VALUE : v;
        out[width + f] = missing ? Integer.MIN_VALUE : v;
      }
      return out;
    }

    /** Adds each tree's leaf for a row ({@link #doubled}) to its class's margin at {@code margins[at + class]}, in tree order. */
    void add(int[] row, int[] treeClass, float[] margins, int at) {
      int trees = treeClass.length;
      int t = 0;
      for (; t + WAYS <= trees; t += WAYS) {
        int b = t * inner;
        int k0 = 0;
        int k1 = 0;
        int k2 = 0;
        int k3 = 0;
        int k4 = 0;
        int k5 = 0;
        int k6 = 0;
        int k7 = 0;
        for (int d = 0; d < depth; d++) {
          k0 = step(b, k0, row);
          k1 = step(b + inner, k1, row);
          k2 = step(b + 2 * inner, k2, row);
          k3 = step(b + 3 * inner, k3, row);
          k4 = step(b + 4 * inner, k4, row);
          k5 = step(b + 5 * inner, k5, row);
          k6 = step(b + 6 * inner, k6, row);
          k7 = step(b + 7 * inner, k7, row);
        }
        int l = t * (inner + 1) - inner;
        int w = inner + 1;
        margins[at + treeClass[t]] += leaf[l + k0];
        margins[at + treeClass[t + 1]] += leaf[l + w + k1];
        margins[at + treeClass[t + 2]] += leaf[l + 2 * w + k2];
        margins[at + treeClass[t + 3]] += leaf[l + 3 * w + k3];
        margins[at + treeClass[t + 4]] += leaf[l + 4 * w + k4];
        margins[at + treeClass[t + 5]] += leaf[l + 5 * w + k5];
        margins[at + treeClass[t + 6]] += leaf[l + 6 * w + k6];
        margins[at + treeClass[t + 7]] += leaf[l + 7 * w + k7];
      }
      for (; t < trees; t++) {
        int k = 0;
        for (int d = 0; d < depth; d++) {
          k = step(t * inner, k, row);
        }
        margins[at + treeClass[t]] += leaf[t * (inner + 1) + k - inner];
      }
    }

    /** One step down from heap position {@code k}: right when the value is at least the threshold, else left. */
    private int step(int base, int k, int[] row) {
      int at = 2 * (base + k);
      return 2 * k + 1 + (row[inners[at]] >= inners[at + 1] ? 1 : 0);
    }
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
