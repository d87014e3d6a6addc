package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code (x - mean) / std} with the mean and population standard deviation fitted on the training split; a constant column maps to 0. */
public final class ZScoreStep extends NumericMap {
  private static final long serialVersionUID = 1L;

  /** Restores the step from {@code {mean, std}}. */
  public static final FittedStepFactory FACTORY = new FittedStepFactory() {
    @Override
    public String type() {
      return "zscore";
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      return new ZScoreStep(StepState.number(state, "mean", "zscore"), StepState.number(state, "std", "zscore"),
          (long) StepState.number(state, "count", "zscore", 0));
    }
  };

  private final double mean;
  private final double std;
  private final long count;

  /** @param mean fitted mean; {@code std} fitted standard deviation; {@code count} values seen */
  public ZScoreStep(double mean, double std, long count) {
    this.mean = mean;
    this.std = std;
    this.count = count;
  }

  @Override
  double map(double x) {
    return std > 0 ? (x - mean) / std : 0.0;
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("mean", mean);
    s.put("std", std);
    s.put("count", count);
    return s;
  }
}
