package dev.beamline.spi.config;

/**
 * A configuration or input the user can fix: an unknown key, a value of the wrong type, a missing file,
 * a column that is not in the data. The message names the file, line, key or column at fault and what
 * would fix it; the CLI turns it into exit code 2.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** @param message what is wrong and how to fix it, naming the file, key or column */
  public ConfigException(String message) {
    super(message);
  }

  /** @param message what is wrong and how to fix it; {@code cause} the underlying error */
  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
