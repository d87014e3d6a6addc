package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.feature.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImputeTextTest extends StandardFeatureContract {
  @Override
  String id() {
    return "impute";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("strategy", "most_frequent");
  }

  @Override
  protected ValueType input() {
    return ValueType.TEXT;
  }

  @Override
  protected List<Object> sample() {
    return Arrays.asList("S", "C", null, "S", "Q", "C", "S");
  }

  @Test
  void fillsTheMostFrequentValue() {
    assertEquals("S", restore(fit(sample(), 3)).apply(null, new float[1], 0));
  }
}
