package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.ValueType;

/** A step that maps a number to a number; missing (NaN) stays missing. */
abstract class NumericMap implements FittedStep {
  private static final long serialVersionUID = 1L;

  @Override
  public final ValueType outputType() {
    return ValueType.NUMBER;
  }

  @Override
  public final Object apply(Object value, float[] out, int offset) {
    double x = StepState.asNumber(value);
    return Double.isNaN(x) ? Double.NaN : map(x);
  }

  /** Maps a present value. */
  abstract double map(double x);
}
