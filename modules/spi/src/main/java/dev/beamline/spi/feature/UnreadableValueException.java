package dev.beamline.spi.feature;

/**
 * A value a step cannot read, such as text that is not a date in the step's format. The host rejects the row
 * with this message (prefixed by the column) and goes on: in a training or scoring pipeline the row goes to
 * the dead letters, and the scoring server answers with the row's error. The message names the value and what
 * was expected. A step throws it only for a value of the right type whose content it cannot use; a missing value
 * is not unreadable.
 */
public class UnreadableValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnreadableValueException(String message) {
    super(message);
  }

  public UnreadableValueException(String message, Throwable cause) {
    super(message, cause);
  }
}
