package dev.beamline.spi;

import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.ValueType;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Provides a feature transform step: its fit half (a Beam {@link Combine.CombineFn} the host runs in one
 * full pass over the training split, together with every other step's) and, through
 * {@link FittedStepFactory}, its apply half (plain Java).
 *
 * <p>Fitting: the analyzer receives the column's values after the chain's preceding stateless steps;
 * missing values ({@code NaN}, {@code null}) reach it too, so it can count them. Its output is the fitted
 * state as JSON-able values; the host writes it to {@code transform.json} and restores the step from it
 * with {@link #restore}. Accumulators must be {@link java.io.Serializable}.
 */
public interface FeatureFactory extends StageFactory, FittedStepFactory {
  @Override
  default StageKind kind() {
    return StageKind.FEATURE;
  }

  @Override
  default String type() {
    return id();
  }

  /** The value types this step accepts. */
  Set<ValueType> accepts();

  /** The type this step passes on for the given input type. */
  ValueType outputType(StageConfig config, ValueType input);

  /**
   * The analyzer that fits this step, or {@code null} for a stateless step (which is restored from an
   * empty state).
   */
  default Combine.CombineFn<Object, ?, Map<String, Object>> analyzer(StageConfig config, ValueType input) {
    return null;
  }
}
