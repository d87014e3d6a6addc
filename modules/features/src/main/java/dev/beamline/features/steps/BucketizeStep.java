package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.util.Arrays;
import java.util.Map;

/**
 * The index of the bucket a value falls in, given boundaries fitted as approximate quantiles of the
 * training split: bucket {@code i} holds values in {@code [b[i-1], b[i])}; there are
 * {@code boundaries + 1} buckets.
 */
public final class BucketizeStep extends NumericMap {
  private static final long serialVersionUID = 1L;

  /** Restores the step from {@code {boundaries: [...]}}. */
  public static final FittedStepFactory FACTORY = new FittedStepFactory() {
    @Override
    public String type() {
      return "bucketize";
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      return new BucketizeStep(StepState.numbers(state, "boundaries", "bucketize"));
    }
  };

  private final double[] boundaries;

  /** @param boundaries strictly increasing bucket boundaries */
  public BucketizeStep(double[] boundaries) {
    this.boundaries = boundaries.clone();
    for (int i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i] > boundaries[i - 1])) {
        throw new IllegalArgumentException("bucketize: boundaries must increase strictly: " + Arrays.toString(boundaries));
      }
    }
  }

  @Override
  double map(double x) {
    int i = Arrays.binarySearch(boundaries, x);
    return i >= 0 ? i + 1 : -i - 1;
  }

  @Override
  public Map<String, Object> state() {
    return Map.of("boundaries", StepState.boxed(boundaries));
  }
}
