package dev.beamline.spi.tracking;

import dev.beamline.spi.config.ConfigException;

/**
 * The model URI names nothing on the server: no such registered model, version or alias. A run that looks for
 * its champion takes this to mean there is none yet.
 */
public class ModelNotFoundException extends ConfigException {
  private static final long serialVersionUID = 1L;

  public ModelNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
