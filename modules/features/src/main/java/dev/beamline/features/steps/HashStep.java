package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hashes text into {@code buckets} buckets (64-bit FNV-1a of the UTF-8 bytes, modulo buckets): stateless,
 * so it needs no fitting and takes unseen values. {@code encoding: onehot} writes one feature per bucket;
 * {@code index} passes on the bucket number. Missing stays missing (all zeros for one-hot).
 */
public final class HashStep implements FittedStep {
  private static final long serialVersionUID = 1L;

  /** Restores the step from config {@code buckets}, {@code encoding}. */
  public static final FittedStepFactory FACTORY = new FittedStepFactory() {
    @Override
    public String type() {
      return "hash";
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      int buckets = (int) StepState.number(config, "buckets", "hash");
      if (buckets < 1) {
        throw new IllegalArgumentException("hash: buckets must be at least 1, not " + buckets);
      }
      return new HashStep(buckets, StepState.text(config, "encoding", "index").equals("onehot"));
    }
  };

  private final int buckets;
  private final boolean oneHot;

  /** @param buckets how many buckets; {@code oneHot} one feature per bucket, else the bucket number */
  public HashStep(int buckets, boolean oneHot) {
    this.buckets = buckets;
    this.oneHot = oneHot;
  }

  /** The bucket of a value. */
  public int bucket(String value) {
    long h = 0xcbf29ce484222325L;
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return (int) Long.remainderUnsigned(h, buckets);
  }

  @Override
  public ValueType outputType() {
    return oneHot ? ValueType.ENCODED : ValueType.NUMBER;
  }

  @Override
  public int width() {
    return oneHot ? buckets : 0;
  }

  @Override
  public List<String> featureNames(String column) {
    List<String> names = new ArrayList<>();
    for (int i = 0; oneHot && i < buckets; i++) {
      names.add(column + "#" + i);
    }
    return names;
  }

  @Override
  public Object apply(Object value, float[] out, int offset) {
    if (oneHot) {
      for (int i = 0; i < buckets; i++) {
        out[offset + i] = 0f;
      }
      if (value != null) {
        out[offset + bucket((String) value)] = 1f;
      }
      return null;
    }
    return value == null ? Double.NaN : (double) bucket((String) value);
  }

  @Override
  public Map<String, Object> state() {
    return Map.of();
  }
}
