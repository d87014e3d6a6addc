package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BucketizeTest extends StandardFeatureContract {
  @Override
  String id() {
    return "bucketize";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("buckets", 4);
  }

  @Override
  protected ValueType input() {
    return ValueType.NUMBER;
  }

  @Override
  protected List<Object> sample() {
    List<Object> v = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      v.add((double) i);
    }
    v.add(Double.NaN);
    return v;
  }

  @Test
  void quartileBoundariesAreWithinTheSketchAccuracy() {
    @SuppressWarnings("unchecked")
    List<Double> boundaries = (List<Double>) fit(sample(), 5).get("boundaries");
    assertEquals(3, boundaries.size());
    double[] expected = {25, 50, 75};
    for (int i = 0; i < 3; i++) {
      assertTrue(Math.abs(boundaries.get(i) - expected[i]) <= 1 + 0.001 * expected[i], "boundary " + i + ": " + boundaries);
    }
    FittedStep step = restore(fit(sample(), 1));
    assertEquals(0.0, (Double) step.apply(1.0, new float[1], 0));
    assertEquals(3.0, (Double) step.apply(99.0, new float[1], 0));
  }
}
