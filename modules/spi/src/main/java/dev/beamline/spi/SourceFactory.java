package dev.beamline.spi;

import dev.beamline.spi.config.StageConfig;

/** Provides a source stage (ingestion). */
public interface SourceFactory extends StageFactory {
  @Override
  default StageKind kind() {
    return StageKind.SOURCE;
  }

  /**
   * Creates the source.
   *
   * @param config the validated configuration
   * @param context the source's name, ordinal and base directory
   * @throws dev.beamline.spi.config.ConfigException when the configuration is unusable, naming the key
   */
  SourceStage create(StageConfig config, SourceContext context);
}
