package dev.beamline.plugins.features;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Exact value counts, then a fitted state made from the values ordered by count (descending) and value
 * (ascending, so ties are broken the same way on every runner).
 */
final class Frequencies extends Combine.CombineFn<Object, Frequencies.Acc, Map<String, Object>> {
  private static final long serialVersionUID = 1L;

  interface SerializableOutput extends java.util.function.BiFunction<List<Map.Entry<Object, Long>>, Long, Map<String, Object>>, Serializable {}

  private final SerializableOutput output;

  /** @param output turns (values by frequency, missing count) into the fitted state */
  Frequencies(SerializableOutput output) {
    this.output = output;
  }

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Per value, its count in a one-element array: counting a row then allocates nothing (a Long per row did). */
    final HashMap<Object, long[]> counts = new HashMap<>();
    long missing;
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Acc addInput(Acc acc, Object input) {
    if (input == null || (input instanceof Double d && d.isNaN())) {
      acc.missing++;
    } else {
      long[] count = acc.counts.get(input);
      if (count == null) {
        acc.counts.put(input, new long[] {1});
      } else {
        count[0]++;
      }
    }
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc();
    for (Acc a : accs) {
      a.counts.forEach((k, v) -> out.counts.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
      out.missing += a.missing;
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Override
  public Map<String, Object> extractOutput(Acc acc) {
    List<Map.Entry<Object, Long>> entries = new ArrayList<>(acc.counts.size());
    acc.counts.forEach((k, v) -> entries.add(Map.entry(k, v[0])));
    entries.sort(Map.Entry.<Object, Long>comparingByValue(Comparator.reverseOrder())
        .thenComparing(e -> (Comparable) e.getKey()));
    return output.apply(entries, acc.missing);
  }
}
