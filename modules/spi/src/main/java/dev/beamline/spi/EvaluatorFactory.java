package dev.beamline.spi;

import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Provides an evaluator: a Beam {@link Combine.CombineFn} over scored rows that yields named metrics. The
 * host runs it once per split (train, validation, test). Accumulators must be {@link java.io.Serializable}.
 */
public interface EvaluatorFactory extends StageFactory {
  @Override
  default StageKind kind() {
    return StageKind.EVALUATOR;
  }

  /**
   * Creates the combiner.
   *
   * @throws dev.beamline.spi.config.ConfigException when a requested metric does not fit the task
   */
  Combine.CombineFn<Scored, ?, Map<String, Double>> create(StageConfig config, Task task);

  /**
   * Whether the combiner for {@code task} reads the rows' features ({@link Scored#features()}), e.g. to measure
   * distances between rows. When false (the default) the host leaves them out: copying every row's features costs
   * time and memory that most metrics do not need.
   */
  default boolean needsFeatures(Task task) {
    return false;
  }
}
