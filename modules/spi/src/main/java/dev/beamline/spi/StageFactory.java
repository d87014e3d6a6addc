package dev.beamline.spi;

import dev.beamline.spi.config.ConfigSpec;

/**
 * What every stage provider has: a stable identifier, its kind, a version, a description and the
 * configuration keys it accepts. Implementations are stateless and thread-safe; the host creates the
 * stage from a validated {@link dev.beamline.spi.config.StageConfig}.
 */
public interface StageFactory {
  /**
   * The identifier pipelines name the stage by: lowercase letters, digits and dashes, starting with a
   * letter (e.g. {@code csv}, {@code zscore}, {@code xgboost}). Unique within its kind; never changes
   * once published.
   */
  String id();

  /** The stage kind. */
  StageKind kind();

  /** One line saying what the stage does. */
  String description();

  /** The configuration keys the stage accepts. */
  ConfigSpec configSpec();

  /** The stage's version: by default its jar's {@code Implementation-Version}, else {@code dev}. */
  default String version() {
    String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
