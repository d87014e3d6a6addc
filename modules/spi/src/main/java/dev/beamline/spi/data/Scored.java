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
 * @param features the row's features as the model saw them (after the transform); null unless the evaluator asks
 *     for them ({@link dev.beamline.spi.EvaluatorFactory#needsFeatures})
 */
public record Scored(long id, double label, double weight, float[] prediction, float[] features) implements Serializable {
  public Scored {
    Objects.requireNonNull(prediction, "prediction");
  }

  /** A scored row without its features: what most evaluators see. */
  public Scored(long id, double label, double weight, float[] prediction) {
    this(id, label, weight, prediction, null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Scored s && id == s.id && Double.compare(label, s.label) == 0
        && Double.compare(weight, s.weight) == 0 && Arrays.equals(prediction, s.prediction) && Arrays.equals(features, s.features);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id) * 31 + Arrays.hashCode(prediction);
  }

  @Override
  public String toString() {
    return "Scored{id=" + id + ", label=" + label + ", weight=" + weight + ", prediction=" + Arrays.toString(prediction)
        + (features == null ? "" : ", features=" + Arrays.toString(features)) + "}";
  }
}
