package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.ValueType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZScoreTest extends StandardFeatureContract {
  @Override
  String id() {
    return "zscore";
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
    return List.of(1.0, 2.0, Double.NaN, 3.0, 10.0, 0.1, 0.2);
  }

  @Test
  void fitsAdultAgeLikeAPopulationStandardDeviation() {
    // Reference: Python, mean and population standard deviation of adult.data's age column.
    Map<String, Object> state = fit(AdultColumn.values(0, true), 7);
    assertEquals(38.58164675532078, (Double) state.get("mean"), 1e-12);
    assertEquals(13.640223092304081, (Double) state.get("std"), 1e-12);
    assertEquals(32561L, state.get("count"));
    FittedStep step = restore(state);
    assertEquals(0.0, (Double) step.apply(38.58164675532078, new float[1], 0), 1e-12);
    assertEquals(1.0, (Double) step.apply(38.58164675532078 + 13.640223092304081, new float[1], 0), 1e-12);
    assertEquals(Double.NaN, step.apply(Double.NaN, new float[1], 0), "missing stays missing");
  }
}
