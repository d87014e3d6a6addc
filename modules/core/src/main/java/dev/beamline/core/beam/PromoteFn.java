package dev.beamline.core.beam;

import dev.beamline.core.spec.TuningSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Successive halving's step between two rungs: of the trials one rung scored on every fold, the best
 * {@code keep} by the mean of the search's metric (ties: the earlier trial) go on to the next rung.
 */
final class PromoteFn extends DoFn<KV<Integer, Iterable<FoldScore>>, List<Integer>> {
  private static final long serialVersionUID = 1L;
  private final TuningSpec spec;
  private final int keep;

  PromoteFn(TuningSpec spec, int keep) {
    this.spec = spec;
    this.keep = keep;
  }

  @ProcessElement
  public void process(ProcessContext c) {
    Map<Integer, List<FoldScore>> byTrial = new TreeMap<>();
    for (FoldScore s : c.element().getValue()) {
      byTrial.computeIfAbsent(s.trial(), k -> new ArrayList<>()).add(s);
    }
    List<double[]> scored = new ArrayList<>();
    byTrial.forEach((trial, scores) -> {
      double mean = FoldScore.mean(scores, spec.metric());
      if (!Double.isNaN(mean)) {
        scored.add(new double[] {trial, mean});
      }
    });
    scored.sort(Comparator.<double[], Double>comparing(t -> t[1], spec.ranking()).thenComparingDouble(t -> t[0]));
    List<Integer> promoted = new ArrayList<>();
    for (int i = 0; i < Math.min(keep, scored.size()); i++) {
      promoted.add((int) scored.get(i)[0]);
    }
    promoted.sort(null);
    c.output(promoted);
  }
}
