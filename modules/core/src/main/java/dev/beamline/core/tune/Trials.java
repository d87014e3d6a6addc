package dev.beamline.core.tune;

import dev.beamline.core.spec.TuningSpec;
import dev.beamline.core.spec.TuningSpec.Dimension;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trials of a search: each a map from a searched setting's path ({@code rounds}, {@code params.eta}) to
 * its value. Drawn from the pipeline's seed alone, so one seed gives the same trials on every runner and
 * every run.
 */
public final class Trials {
  private Trials() {}

  /**
   * The trials of {@code tuning}: random draws, the whole grid (in the space's key order, the last key
   * varying fastest), or a seeded sample of the grid when it is larger than the number of trials. With no
   * space, one trial of the settings as given (cross-validation alone).
   */
  public static List<Map<String, Object>> of(TuningSpec tuning, long seed) {
    if (tuning.space().isEmpty()) {
      return List.of(Map.of());
    }
    List<String> keys = new ArrayList<>(tuning.space().keySet());
    SplittableRandom random = new SplittableRandom(seed);
    if (tuning.strategy().equals("grid")) {
      return grid(tuning, keys, random);
    }
    // random, and halving's first rung
    List<Map<String, Object>> trials = new ArrayList<>();
    for (int t = 0; t < tuning.trials(); t++) {
      Map<String, Object> trial = new LinkedHashMap<>();
      for (String k : keys) {
        trial.put(k, draw(tuning.space().get(k), random));
      }
      trials.add(Collections.unmodifiableMap(trial));
    }
    return trials;
  }

  private static List<Map<String, Object>> grid(TuningSpec tuning, List<String> keys, SplittableRandom random) {
    long size = 1;
    for (String k : keys) {
      size *= tuning.space().get(k).gridSize();
    }
    List<Long> order = new ArrayList<>();
    for (long i = 0; i < size; i++) {
      order.add(i);
    }
    if (tuning.trials() > 0 && tuning.trials() < size) {
      // Fisher-Yates with the seed, then the first trials: a sample without repeats.
      for (int i = order.size() - 1; i > 0; i--) {
        Collections.swap(order, i, random.nextInt(i + 1));
      }
      order = order.subList(0, tuning.trials());
    }
    List<Map<String, Object>> trials = new ArrayList<>();
    for (long index : order) {
      Map<String, Object> trial = new LinkedHashMap<>();
      long rest = index;
      for (int i = keys.size() - 1; i >= 0; i--) {
        Dimension d = tuning.space().get(keys.get(i));
        long n = d.gridSize();
        trial.put(keys.get(i), gridValue(d, (int) (rest % n)));
        rest /= n;
      }
      Map<String, Object> ordered = new LinkedHashMap<>();
      keys.forEach(k -> ordered.put(k, trial.get(k)));
      trials.add(Collections.unmodifiableMap(ordered));
    }
    return trials;
  }

  private static Object gridValue(Dimension d, int i) {
    return d.kind().equals("choice") ? d.values().get(i) : integer((long) d.low() + i);
  }

  private static Object draw(Dimension d, SplittableRandom random) {
    return switch (d.kind()) {
      case "choice" -> d.values().get(random.nextInt(d.values().size()));
      case "intRange" -> integer((long) d.low() + random.nextLong((long) d.high() - (long) d.low() + 1));
      case "uniform" -> round(d.low() + random.nextDouble() * (d.high() - d.low()));
      case "logUniform" -> round(Math.exp(Math.log(d.low()) + random.nextDouble() * (Math.log(d.high()) - Math.log(d.low()))));
      default -> throw new IllegalArgumentException("not a kind of setting: " + d.kind());
    };
  }

  /**
   * Successive halving's rungs for {@code trials} trials up to {@code maxRounds} rounds: rung {@code i} trains
   * {@code trials / reduction^i} trials (at least one) with {@code maxRounds / reduction^(last - i)} rounds, the
   * last rung being the first with fewer than {@code reduction} trials, and trains them with {@code maxRounds}.
   *
   * @return per rung: {trials, rounds}
   */
  public static List<int[]> rungs(int trials, int maxRounds, int reduction) {
    int last = 0;
    for (long n = trials; n >= reduction; n /= reduction) {
      last++;
    }
    List<int[]> rungs = new ArrayList<>();
    long keep = trials;
    for (int i = 0; i <= last; i++) {
      rungs.add(new int[] {(int) Math.max(1, keep), (int) Math.max(1, Math.round(maxRounds / Math.pow(reduction, last - i)))});
      keep /= reduction;
    }
    return rungs;
  }

  /** An Integer where it fits (the type YAML gives a small whole number), else a Long. */
  static Object integer(long v) {
    return v == (int) v ? (Object) (int) v : (Object) v;
  }

  /** Six significant digits: what a person reads and types back with --set, and the value trained with. */
  static double round(double v) {
    return new BigDecimal(v).round(new MathContext(6)).doubleValue();
  }

  /**
   * The trainer section with a trial's values set at their paths ({@code params.eta} sets {@code eta} in the
   * {@code params} map, which is made when absent). The base is not changed.
   *
   * @throws IllegalArgumentException when a path runs through a value that is not a map
   */
  public static Map<String, Object> apply(Map<String, Object> base, Map<String, Object> trial) {
    Map<String, Object> out = deepCopy(base);
    for (Map.Entry<String, Object> e : trial.entrySet()) {
      String[] parts = e.getKey().split("\\.");
      Map<String, Object> at = out;
      for (int i = 0; i < parts.length - 1; i++) {
        Object next = at.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
        if (!(next instanceof Map)) {
          throw new IllegalArgumentException("'" + String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + "' is a single value, "
              + "so '" + e.getKey() + "' cannot be set in it");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) next;
        at = m;
      }
      at.put(parts[parts.length - 1], e.getValue());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, v instanceof Map ? deepCopy((Map<String, Object>) v) : v));
    return out;
  }

  /** A trial's values in one line: {@code eta=0.0312 max_depth=7}. */
  public static String describe(Map<String, Object> trial) {
    if (trial.isEmpty()) {
      return "(the settings as given)";
    }
    StringBuilder b = new StringBuilder();
    trial.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k.substring(k.lastIndexOf('.') + 1)).append('=').append(v));
    return b.toString();
  }
}
