package dev.beamline.spi.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * A row with its label and the model's prediction, as evaluators see it.
 *
 * @param id the row id
 * @param label the label (class index or target value)
 * @param weight the sample weight (1 when none)
 * @param prediction {@link dev.beamline.spi.model.Task#predictionWidth()} values
 */
public record Scored(long id, double label, double weight, float[] prediction) implements Serializable {
  public Scored {
    Objects.requireNonNull(prediction, "prediction");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scored s && id == s.id && Double.compare(label, s.label) == 0
        && Double.compare(weight, s.weight) == 0 && Arrays.equals(prediction, s.prediction);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(prediction);
  }

  @Override
  public String toString() {
    return "Scored{id=" + id + ", label=" + label + ", weight=" + weight + ", prediction=" + Arrays.toString(prediction) + "}";
  }
}
