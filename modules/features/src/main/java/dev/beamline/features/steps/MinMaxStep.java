package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code (x - min) / (max - min)} with min and max fitted on the training split, so the training values
 * land in [0, 1]; later values outside the range extrapolate (optionally clipped). A constant column maps
 * to 0.
 */
public final class MinMaxStep extends NumericMap {
  private static final long serialVersionUID = 1L;

  /** Restores the step from {@code {min, max}} and config {@code clip}. */
  public static final FittedStepFactory FACTORY = new FittedStepFactory() {
    @Override
    public String type() {
      return "minmax";
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      return new MinMaxStep(StepState.number(state, "min", "minmax"), StepState.number(state, "max", "minmax"),
          StepState.bool(config, "clip", false));
    }
  };

  private final double min;
  private final double max;
  private final boolean clip;

  /** @param min fitted minimum; {@code max} fitted maximum; {@code clip} clamp results to [0, 1] */
  public MinMaxStep(double min, double max, boolean clip) {
    this.min = min;
    this.max = max;
    this.clip = clip;
  }

  @Override
  double map(double x) {
    if (!(max > min)) {
      return 0.0;
    }
    double y = (x - min) / (max - min);
    return clip ? Math.max(0, Math.min(1, y)) : y;
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("min", min);
    s.put("max", max);
    return s;
  }
}
