package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabularyTest extends StandardFeatureContract {
  @Override
  String id() {
    return "vocabulary";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("topK", 3, "minFrequency", 2);
  }

  @Override
  protected ValueType input() {
    return ValueType.TEXT;
  }

  @Override
  protected List<Object> sample() {
    return Arrays.asList("b", "a", "c", "a", "b", "d", "d", null, "e", "a");
  }

  @Test
  void keepsTheMostFrequentTermsTiesInLexicalOrderAndOneHotsWithAnOovBucket() {
    Map<String, Object> state = fit(sample(), 3);
    assertEquals(List.of("a", "b", "d"), state.get("terms"));
    assertEquals(2L, state.get("outOfVocabulary"), "c and e");
    assertEquals(1L, state.get("missing"));
    FittedStep step = restore(state);
    assertEquals(4, step.width());
    float[] out = new float[4];
    step.apply("d", out, 0);
    assertArrayEquals(new float[] {0, 0, 1, 0}, out);
    step.apply("zzz", out, 0);
    assertArrayEquals(new float[] {0, 0, 0, 1}, out);
    step.apply(null, out, 0);
    assertArrayEquals(new float[] {0, 0, 0, 0}, out);
  }

  @Test
  void fitsAdultWorkclass() {
    Map<String, Object> state = fit(AdultColumn.values(1, false), 4);
    @SuppressWarnings("unchecked")
    List<String> terms = (List<String>) state.get("terms");
    assertEquals("Private", terms.get(0));
    assertEquals(1836L, state.get("missing"));
  }
}
