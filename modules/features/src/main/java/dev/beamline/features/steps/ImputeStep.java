package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replaces a missing value with a fitted one (mean, median, most frequent) or a constant, and with
 * {@code indicator: true} also writes one feature, {@code <column>_missing}, that is 1 where the value was
 * missing. Works on numbers and on text.
 */
public final class ImputeStep implements FittedStep {
  private static final long serialVersionUID = 1L;

  /** Restores the step from {@code {value}} and config {@code indicator}. */
  public static final FittedStepFactory FACTORY = new FittedStepFactory() {
    @Override
    public String type() {
      return "impute";
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      // A constant is configured, not fitted: it lives in the config.
      Object value = state.containsKey("value") ? state.get("value") : config.get("value");
      if (input == ValueType.NUMBER) {
        value = value == null ? Double.NaN : StepState.number(Map.of("value", value), "value", "impute");
      } else if (input == ValueType.TEXT) {
        value = value == null ? null : String.valueOf(value);
      } else {
        throw new IllegalArgumentException("impute takes numbers or text, not " + input);
      }
      return new ImputeStep(input, value, StepState.bool(config, "indicator", false));
    }
  };

  private final ValueType type;
  private final Object value;
  private final boolean indicator;

  /**
   * @param type NUMBER or TEXT
   * @param value the replacement (a Double or a String)
   * @param indicator whether to write a missing-indicator feature
   */
  public ImputeStep(ValueType type, Object value, boolean indicator) {
    this.type = type;
    this.value = value;
    this.indicator = indicator;
  }

  @Override
  public ValueType outputType() {
    return type;
  }

  @Override
  public int width() {
    return indicator ? 1 : 0;
  }

  @Override
  public List<String> featureNames(String column) {
    return indicator ? List.of(column + "_missing") : List.of();
  }

  @Override
  public Object apply(Object in, float[] out, int offset) {
    boolean missing = in == null || (in instanceof Double d && d.isNaN());
    if (indicator) {
      out[offset] = missing ? 1f : 0f;
    }
    return missing ? value : in;
  }

  @Override
  public Map<String, Object> state() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("value", value instanceof Double d && d.isNaN() ? null : value);
    return s;
  }
}
