package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.feature.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashTest extends StandardFeatureContract {
  @Override
  String id() {
    return "hash";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("buckets", 8, "encoding", "onehot");
  }

  @Override
  protected ValueType input() {
    return ValueType.TEXT;
  }

  @Override
  protected List<Object> sample() {
    return Arrays.asList("C85", "E46", null, "B96 B98");
  }

  @Test
  void oneHotsAStableBucket() {
    var step = restore(Map.of());
    float[] out = new float[8];
    step.apply("C85", out, 0);
    float sum = 0;
    for (float f : out) {
      sum += f;
    }
    assertEquals(1f, sum);
    // FNV-1a 64 of "C85" modulo 8, computed by hand once; it must never change (models depend on it).
    assertEquals(1f, out[(int) Long.remainderUnsigned(fnv("C85"), 8)]);
  }

  private static long fnv(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
