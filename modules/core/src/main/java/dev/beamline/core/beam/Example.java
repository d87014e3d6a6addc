package dev.beamline.core.beam;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A transformed row: its id, split, feature vector, label and weight, as the trainer and the predictor
 * take it.
 */
public record Example(long id, Split split, float[] features, float label, float weight) implements Serializable {
  @Override
  public boolean equals(Object o) {
    return o instanceof Example e && id == e.id && split == e.split && Arrays.equals(features, e.features)
        && Float.compare(label, e.label) == 0 && Float.compare(weight, e.weight) == 0;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(features);
  }
}
