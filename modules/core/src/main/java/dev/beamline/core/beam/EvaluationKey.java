package dev.beamline.core.beam;

import java.util.Arrays;
import java.util.List;

/**
 * The keys the evaluator's partial accumulators are merged by: a split's rows ({@code test}), a slice of the
 * test split, a bootstrap replicate of it, or another model's scores of it (the champion). One string per group, so that a plain per-key combine merges
 * them all in parallel, and the metrics file is assembled from the keys.
 */
final class EvaluationKey {
  private static final String SEPARATOR = "\u001f";
  private static final String SLICE = "slice";
  private static final String REPLICATE = "bootstrap";
  private static final String MODEL = "model";

  private EvaluationKey() {}

  /** The key of a split's rows: its label. */
  static String split(Split split) {
    return split.label();
  }

  /** The key of a slice of the test split: the slicing's index and the row's part per column. */
  static String slice(int slicing, String[] parts) {
    return SLICE + SEPARATOR + slicing + SEPARATOR + String.join(SEPARATOR, parts);
  }

  /** The key of bootstrap replicate {@code r} of the test split. */
  static String replicate(int r) {
    return REPLICATE + SEPARATOR + r;
  }

  /** The key of another model's rows (a champion scored on the run's test split), by the model's name. */
  static String model(String name) {
    return MODEL + SEPARATOR + name;
  }

  /** What a key groups. */
  sealed interface Parsed permits SplitKey, SliceKey, ReplicateKey, ModelKey {}

  /** Another model's test rows. */
  record ModelKey(String name) implements Parsed {}

  /** A split. */
  record SplitKey(String split) implements Parsed {}

  /** A slice: its slicing's index and its parts. */
  record SliceKey(int slicing, List<String> parts) implements Parsed {}

  /** A bootstrap replicate. */
  record ReplicateKey(int replicate) implements Parsed {}

  static Parsed parse(String key) {
    String[] f = key.split(SEPARATOR, -1);
    if (f.length == 1) {
      return new SplitKey(key);
    }
    if (f[0].equals(SLICE)) {
      return new SliceKey(Integer.parseInt(f[1]), List.of(Arrays.copyOfRange(f, 2, f.length)));
    }
    if (f[0].equals(MODEL)) {
      return new ModelKey(f[1]);
    }
    return new ReplicateKey(Integer.parseInt(f[1]));
  }
}
