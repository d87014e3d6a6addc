package dev.beamline.spi.config;

/** The value types a {@link ConfigKey} can take; values arrive from YAML or {@code --set} and are converted. */
public enum ConfigType {
  /** A string. */
  STRING,
  /** A 32-bit integer; "3" and 3.0 are accepted, 3.5 is not. */
  INT,
  /** A 64-bit integer. */
  LONG,
  /** A double; integers are widened. */
  DOUBLE,
  /** {@code true}/{@code false}; also yes/no and on/off, and these as strings (any case). */
  BOOLEAN,
  /** A list of strings; a single scalar becomes a one-element list. */
  STRING_LIST,
  /** A map of string keys to scalar values, kept as given (its own keys are checked by the plugin). */
  MAP;

  /**
   * A boolean written as text: true/yes/on or false/no/off in any case, else {@code null}. Beamline reads YAML's
   * scalars by YAML 1.2's rules (yes/no stay text, so that a label's values read as written); a key of type
   * {@link #BOOLEAN} still accepts them.
   */
  public static Boolean booleanOf(String text) {
    return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on" -> Boolean.TRUE;
      case "false", "no", "off" -> Boolean.FALSE;
      default -> null;
    };
  }
}
