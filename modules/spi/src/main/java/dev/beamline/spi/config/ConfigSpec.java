package dev.beamline.spi.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The keys a stage accepts. {@link #validate} turns the raw key/value map of a pipeline spec into a
 * typed {@link StageConfig}: unknown keys are errors that name the key and list the allowed ones, values
 * are converted to the declared types, defaults are filled in and required keys checked. Immutable.
 */
public final class ConfigSpec {
  private final Map<String, ConfigKey> keys;

  private ConfigSpec(Map<String, ConfigKey> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  /** A spec of the given keys, in the given order; names must be unique. */
  public static ConfigSpec of(ConfigKey... keys) {
    return of(List.of(keys));
  }

  /** A spec of the given keys, in the given order; names must be unique. */
  public static ConfigSpec of(List<ConfigKey> keys) {
    Map<String, ConfigKey> map = new LinkedHashMap<>();
    for (ConfigKey key : keys) {
      if (map.put(key.name(), key) != null) {
        throw new IllegalArgumentException("duplicate config key '" + key.name() + "'");
      }
      if (key.defaultValue() != null) {
        convert(key, key.defaultValue(), "default of " + key.name());
      }
    }
    return new ConfigSpec(map);
  }

  /** This spec plus more keys. */
  public ConfigSpec plus(ConfigKey... more) {
    List<ConfigKey> all = new ArrayList<>(keys.values());
    all.addAll(List.of(more));
    return of(all);
  }

  /** The keys, in declaration order. */
  public List<ConfigKey> keys() {
    return List.copyOf(keys.values());
  }

  /**
   * Validates raw values against this spec.
   *
   * @param where how the error messages name the place, e.g. {@code "pipeline.yaml: trainer"}
   * @param raw the values as read from YAML (strings, numbers, booleans, lists, maps)
   * @throws ConfigException naming the key at fault and, for unknown keys, the allowed ones
   */
  public StageConfig validate(String where, Map<String, ?> raw) {
    Objects.requireNonNull(raw, "raw");
    for (String name : raw.keySet()) {
      if (!keys.containsKey(name)) {
        throw new ConfigException(where + ": unknown key '" + name + "'; allowed keys: "
            + String.join(", ", new TreeSet<>(keys.keySet())));
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (ConfigKey key : keys.values()) {
      Object value = raw.get(key.name());
      if (value == null) {
        if (key.required()) {
          throw new ConfigException(where + ": missing required key '" + key.name() + "'"
              + (key.description().isEmpty() ? "" : " (" + key.description() + ")"));
        }
        value = key.defaultValue();
      }
      if (value != null) {
        values.put(key.name(), convert(key, value, where + "." + key.name()));
      }
    }
    return new StageConfig(this, values);
  }

  static Object convert(ConfigKey key, Object value, String where) {
    try {
      Object converted = switch (key.type()) {
        case STRING -> scalar(value, where);
        case INT -> Math.toIntExact(toLong(value, where));
        case LONG -> toLong(value, where);
        case DOUBLE -> value instanceof Number n ? n.doubleValue() : Double.parseDouble(scalar(value, where));
        case BOOLEAN -> toBoolean(value, where);
        case STRING_LIST -> toList(value, where);
        case MAP -> toMap(value, where);
      };
      if (!key.allowed().isEmpty() && !key.allowed().contains(String.valueOf(converted))) {
        throw new ConfigException(where + ": '" + (key.secret() ? "****" : converted) + "' is not allowed; use one of "
            + String.join(", ", key.allowed()));
      }
      return converted;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(where + ": '" + (key.secret() ? "****" : value) + "' is not a valid " + key.type().name().toLowerCase()
          + (key.description().isEmpty() ? "" : " (" + key.description() + ")"));
    }
  }

  private static String scalar(Object value, String where) {
    if (value instanceof Map || value instanceof List) {
      throw new ConfigException(where + ": expected a single value, got " + value);
    }
    return String.valueOf(value);
  }

  private static long toLong(Object value, String where) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    double d = value instanceof Number n ? n.doubleValue() : Double.parseDouble(scalar(value, where));
    if (d != Math.rint(d) || Double.isInfinite(d)) {
      throw new NumberFormatException();
    }
    return (long) d;
  }

  private static boolean toBoolean(Object value, String where) {
    if (value instanceof Boolean b) {
      return b;
    }
    String s = scalar(value, where);
    Boolean b = ConfigType.booleanOf(s);
    if (b == null) {
      throw new ConfigException(where + ": '" + s + "' is not a boolean; use true or false");
    }
    return b;
  }

  private static List<String> toList(Object value, String where) {
    if (value instanceof List<?> list) {
      List<String> out = new ArrayList<>();
      for (Object o : list) {
        out.add(o == null ? "" : scalar(o, where));
      }
      return List.copyOf(out);
    }
    return List.of(scalar(value, where));
  }

  private static Map<String, Object> toMap(Object value, String where) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new ConfigException(where + ": expected a map of key: value, got " + value);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return Collections.unmodifiableMap(out);
  }
}
