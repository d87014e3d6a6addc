package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * What a training run evaluates: the evaluator plugin's metrics per split, per slice of the test split (the
 * slicer, a side input since its buckets come from the statistics; null without slices) and per bootstrap
 * replicate of the test split.
 *
 * @param evaluator the evaluator plugin
 * @param slicer the slicer, or null
 * @param bootstrap the bootstrap
 * @param model null for the run's own model (per split, slices, replicates); else the name another model's test
 *     metrics go under (its overall metrics only)
 * @param splits the splits scored: rows of another split are not predicted unless their predictions are written
 */
record Evaluation(PlannedStage evaluator, PCollectionView<Slicer> slicer, Bootstrap bootstrap, String model, Set<Split> splits)
    implements Serializable {

  /** Another model's overall test metrics, under {@code name}: no slices, no intervals. */
  static Evaluation of(String name, PlannedStage evaluator) {
    return new Evaluation(evaluator, null, new Bootstrap(0, 0.95, 0), name, EnumSet.of(Split.TEST));
  }

  /** The splits named as the spec names them (train, validation, test). */
  static Set<Split> splits(List<String> labels) {
    Set<Split> out = EnumSet.noneOf(Split.class);
    for (Split s : Split.values()) {
      if (labels.contains(s.label())) {
        out.add(s);
      }
    }
    return out;
  }

  /** The side inputs the evaluation reads besides the transform. */
  List<PCollectionView<?>> sideInputs() {
    List<PCollectionView<?>> views = new ArrayList<>();
    if (slicer != null) {
      views.add(slicer);
    }
    return views;
  }
}
