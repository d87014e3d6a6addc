package dev.beamline.spi.feature;

import java.util.Map;

/**
 * Restores a {@link FittedStep} of one type from what a transform artifact ({@code transform.json})
 * recorded: the step's configuration and fitted state. Plain Java, no Beam. Plugins that add feature
 * types list their implementation in {@code META-INF/services/dev.beamline.spi.feature.FittedStepFactory}
 * so that scoring code finds it without Beam.
 */
public interface FittedStepFactory {
  /** The step type, equal to the feature stage's identifier (e.g. {@code zscore}). */
  String type();

  /**
   * Restores a step.
   *
   * @param input the type the step receives
   * @param config the step's configuration values as recorded (defaults filled in)
   * @param state the fitted state as recorded; empty for stateless steps
   * @throws IllegalArgumentException when the state is malformed, naming the entry
   */
  FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state);
}
