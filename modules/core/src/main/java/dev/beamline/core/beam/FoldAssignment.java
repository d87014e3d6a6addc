package dev.beamline.core.beam;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Which of k folds each training row is in, dealt from the rows' ids and the pipeline's seed alone, so that
 * every runner and every run makes the same folds. Stratified folds deal each class's rows in turn (so every
 * fold holds each class in the proportion of the whole, to within a row); grouped folds keep a group's rows
 * together, the largest groups first, each into the fold with the fewest rows so far (as scikit-learn's
 * GroupKFold does); plain folds deal all rows in turn. Within a class the order is a hash of the seed and
 * the row id: a seeded shuffle that no runner's ordering can change.
 *
 * @param ids the rows' ids, ascending
 * @param folds each row's fold
 * @param k the number of folds
 */
record FoldAssignment(long[] ids, byte[] folds, int k) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The fold of a row; -1 for a row that was not dealt (not a training row). */
  int fold(long id) {
    int i = Arrays.binarySearch(ids, id);
    return i < 0 ? -1 : folds[i];
  }

  /** Rows per fold. */
  int[] sizes() {
    int[] sizes = new int[k];
    for (byte f : folds) {
      sizes[f]++;
    }
    return sizes;
  }

  /** The salt of the folds' seeded hash: another order than the random split's (salt 1) of the same rows. */
  private static final long SALT = 2;

  /** A row's (or group's) place in the seeded shuffle. */
  private static double shuffled(long seed, long value) {
    return SeededHash.unit(seed, SALT, value);
  }

  /**
   * Deals rows into {@code k} folds.
   *
   * @param strata the rows' ids by stratum: by class (stratified), by group (grouped), or all under one key
   * @param grouped whether a stratum is a group that stays together (else its rows are dealt in turn)
   */
  static FoldAssignment deal(Map<String, long[]> strata, int k, boolean grouped, long seed) {
    long[] ids = strata.values().stream().flatMapToLong(Arrays::stream).sorted().toArray();
    FoldAssignment a = new FoldAssignment(ids, new byte[ids.length], k);
    if (grouped) {
      List<Map.Entry<String, long[]>> groups = new ArrayList<>(strata.entrySet());
      groups.sort(Comparator.<Map.Entry<String, long[]>>comparingInt(e -> -e.getValue().length)
          .thenComparingDouble(e -> shuffled(seed, e.getKey().hashCode())).thenComparing(Map.Entry::getKey));
      long[] sizes = new long[k];
      for (Map.Entry<String, long[]> g : groups) {
        int smallest = 0;
        for (int f = 1; f < k; f++) {
          if (sizes[f] < sizes[smallest]) {
            smallest = f;
          }
        }
        sizes[smallest] += g.getValue().length;
        for (long id : g.getValue()) {
          a.put(id, smallest);
        }
      }
    } else {
      int next = 0;
      for (long[] rows : new TreeMap<>(strata).values()) {
        Long[] order = Arrays.stream(rows).boxed().toArray(Long[]::new);
        Arrays.sort(order, Comparator.<Long>comparingDouble(id -> shuffled(seed, id)).thenComparingLong(id -> id));
        for (Long id : order) {
          a.put(id, next++ % k);
        }
      }
    }
    return a;
  }

  /** Sets a row's fold while dealing. */
  private void put(long id, int fold) {
    folds[Arrays.binarySearch(ids, id)] = (byte) fold;
  }

  /** Gathers the training rows' ids by stratum and deals them ({@link #deal}). */
  static final class DealFn extends Combine.CombineFn<Strata, HashMap<String, long[]>, FoldAssignment> {
    private static final long serialVersionUID = 1L;
    private final int k;
    private final boolean grouped;
    private final long seed;

    DealFn(int k, boolean grouped, long seed) {
      this.k = k;
      this.grouped = grouped;
      this.seed = seed;
    }

    @Override
    public HashMap<String, long[]> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public HashMap<String, long[]> addInput(HashMap<String, long[]> acc, Strata block) {
      for (Map.Entry<String, long[]> e : block.strata().entrySet()) {
        acc.merge(e.getKey(), e.getValue(), DealFn::concat);
      }
      return acc;
    }

    @Override
    public HashMap<String, long[]> mergeAccumulators(Iterable<HashMap<String, long[]>> accs) {
      HashMap<String, long[]> out = new HashMap<>();
      for (HashMap<String, long[]> a : accs) {
        a.forEach((key, ids) -> out.merge(key, ids, DealFn::concat));
      }
      return out;
    }

    @Override
    public FoldAssignment extractOutput(HashMap<String, long[]> acc) {
      return deal(acc, k, grouped, seed);
    }

    private static long[] concat(long[] a, long[] b) {
      long[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    @Override
    public Coder<HashMap<String, long[]>> getAccumulatorCoder(CoderRegistry registry, Coder<Strata> inputCoder)
        throws CannotProvideCoderException {
      return (Coder) AccumulatorCoder.of(HashMap.class);
    }
  }

  /** One block's rows' ids by stratum. */
  record Strata(HashMap<String, long[]> strata) implements Serializable {
    private static final long serialVersionUID = 1L;
  }
}
