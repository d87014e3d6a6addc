package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MinMaxTest extends StandardFeatureContract {
  @Override
  String id() {
    return "minmax";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("clip", true);
  }

  @Override
  protected ValueType input() {
    return ValueType.NUMBER;
  }

  @Override
  protected List<Object> sample() {
    return List.of(-2.0, 2.0, Double.NaN, 6.0);
  }

  @Test
  void scalesToTheFittedRangeAndClips() {
    FittedStep step = restore(fit(sample(), 2));
    assertEquals(0.5, (Double) step.apply(2.0, new float[1], 0), 1e-12);
    assertEquals(1.0, (Double) step.apply(100.0, new float[1], 0), 1e-12);
    assertEquals(0.0, (Double) step.apply(-100.0, new float[1], 0), 1e-12);
  }
}
