package dev.beamline.spi.config;

import java.util.List;
import java.util.Objects;

/**
 * One configuration key of a stage: its name, type, default, allowed values and whether it is a secret.
 * Immutable. Build with the static factories and the {@code with...} methods, e.g.
 * {@code ConfigKey.ofInt("rounds").withDefault(100).describedAs("boosting rounds")}.
 *
 * @param name the key as written in the pipeline YAML (camelCase by convention)
 * @param type the value type
 * @param defaultValue the value when the key is absent, or {@code null} (then the key is optional
 *     unless {@code required})
 * @param required whether the key must be given
 * @param secret whether the value must never be printed, logged or tracked (shown as {@code ****})
 * @param allowed the allowed values for a string key, or empty for any value
 * @param description one line shown by {@code beamline plugins --details} and in errors
 */
public record ConfigKey(
    String name,
    ConfigType type,
    Object defaultValue,
    boolean required,
    boolean secret,
    List<String> allowed,
    String description) {

  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    allowed = List.copyOf(allowed);
    description = description == null ? "" : description;
    if (!name.matches("[A-Za-z][A-Za-z0-9_.]*")) {
      throw new IllegalArgumentException("config key name '" + name + "' must match [A-Za-z][A-Za-z0-9_.]*");
    }
  }

  private static ConfigKey of(String name, ConfigType type) {
    return new ConfigKey(name, type, null, false, false, List.of(), "");
  }

  /** A string key. */
  public static ConfigKey ofString(String name) {
    return of(name, ConfigType.STRING);
  }

  /** An int key. */
  public static ConfigKey ofInt(String name) {
    return of(name, ConfigType.INT);
  }

  /** A long key. */
  public static ConfigKey ofLong(String name) {
    return of(name, ConfigType.LONG);
  }

  /** A double key. */
  public static ConfigKey ofDouble(String name) {
    return of(name, ConfigType.DOUBLE);
  }

  /** A boolean key. */
  public static ConfigKey ofBoolean(String name) {
    return of(name, ConfigType.BOOLEAN);
  }

  /** A list-of-strings key. */
  public static ConfigKey ofStringList(String name) {
    return of(name, ConfigType.STRING_LIST);
  }

  /** A free-form map key (the plugin validates its entries). */
  public static ConfigKey ofMap(String name) {
    return of(name, ConfigType.MAP);
  }

  /** This key with a default value (converted to the key's type when the spec is built). */
  public ConfigKey withDefault(Object value) {
    return new ConfigKey(name, type, value, required, secret, allowed, description);
  }

  /** This key, required. */
  public ConfigKey asRequired() {
    return new ConfigKey(name, type, defaultValue, true, secret, allowed, description);
  }

  /** This key, secret: never printed, logged or tracked. */
  public ConfigKey asSecret() {
    return new ConfigKey(name, type, defaultValue, required, true, allowed, description);
  }

  /** This key, restricted to the given values. */
  public ConfigKey withAllowed(String... values) {
    return new ConfigKey(name, type, defaultValue, required, secret, List.of(values), description);
  }

  /** This key with a one-line description. */
  public ConfigKey describedAs(String text) {
    return new ConfigKey(name, type, defaultValue, required, secret, allowed, text);
  }
}
