package dev.beamline.spi;

import java.util.List;

/**
 * The entry point of a plugin, found with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.beamline.spi.BeamlinePlugin}. Every method has a default, so that a new
 * kind of stage never breaks an existing plugin: override the ones you provide.
 *
 * <p>Implementations need a public no-argument constructor and must be cheap to construct: the host
 * instantiates every plugin on the classpath at start-up. Keep dependency injection inside the plugin;
 * the host's Guice never reaches it.
 */
public interface BeamlinePlugin {
  /** Source stages (ingestion). */
  default List<SourceFactory> sources() {
    return List.of();
  }

  /** Feature transform steps (fit and apply). */
  default List<FeatureFactory> features() {
    return List.of();
  }

  /** Trainers. */
  default List<TrainerFactory> trainers() {
    return List.of();
  }

  /** Evaluators. */
  default List<EvaluatorFactory> evaluators() {
    return List.of();
  }

  /** Trackers (where runs are recorded). */
  default List<dev.beamline.spi.tracking.TrackerFactory> trackers() {
    return List.of();
  }
}
