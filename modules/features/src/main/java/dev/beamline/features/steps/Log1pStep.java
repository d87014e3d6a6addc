package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.util.Map;

/** {@code log(1 + x)}; stateless. Values at or below -1 become missing (the log is undefined there). */
public final class Log1pStep extends NumericMap {
  private static final long serialVersionUID = 1L;

  /** Restores the step. */
  public static final FittedStepFactory FACTORY = new FittedStepFactory() {
    @Override
    public String type() {
      return "log1p";
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      return new Log1pStep();
    }
  };

  @Override
  double map(double x) {
    return x <= -1 ? Double.NaN : Math.log1p(x);
  }

  @Override
  public Map<String, Object> state() {
    return Map.of();
  }
}
