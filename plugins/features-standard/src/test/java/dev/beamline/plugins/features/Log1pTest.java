package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.feature.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Log1pTest extends StandardFeatureContract {
  @Override
  String id() {
    return "log1p";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of();
  }

  @Override
  protected ValueType input() {
    return ValueType.NUMBER;
  }

  @Override
  protected List<Object> sample() {
    return List.of(0.0, 1.0, Double.NaN, 7.25, -1.0);
  }

  @Test
  void isLogOfOnePlusX() {
    var step = restore(Map.of());
    assertEquals(Math.log(8.25), (Double) step.apply(7.25, new float[1], 0), 1e-12);
    assertEquals(Double.NaN, step.apply(-1.0, new float[1], 0), "undefined at -1");
  }
}
