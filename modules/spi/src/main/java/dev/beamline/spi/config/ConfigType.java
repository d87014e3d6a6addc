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
  /** {@code true}/{@code false} (also the strings "true"/"false"). */
  BOOLEAN,
  /** A list of strings; a single scalar becomes a one-element list. */
  STRING_LIST,
  /** A map of string keys to scalar values, kept as given (its own keys are checked by the plugin). */
  MAP
}
