package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImputeTest extends StandardFeatureContract {
  @Override
  String id() {
    return "impute";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("strategy", "median", "indicator", true);
  }

  @Override
  protected ValueType input() {
    return ValueType.NUMBER;
  }

  @Override
  protected List<Object> sample() {
    return List.of(1.0, 5.0, Double.NaN, 3.0, 100.0, 2.0);
  }

  @Test
  void fillsTheMedianAndWritesAMissingIndicator() {
    FittedStep step = restore(fit(sample(), 2));
    float[] out = new float[1];
    assertEquals(3.0, (Double) step.apply(Double.NaN, out, 0), 0.003 * 3);
    assertEquals(1f, out[0]);
    assertEquals(7.0, (Double) step.apply(7.0, out, 0));
    assertEquals(0f, out[0]);
    assertEquals(List.of("c_missing"), step.featureNames("c"));
  }

  @Test
  void fitsAdultAgeMedian() {
    assertEquals(37.0, (Double) fit(AdultColumn.values(0, true), 3).get("value"), 37 * 0.001 + 1e-9);
  }
}
