package dev.beamline.spi.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's validated, typed configuration, made by {@link ConfigSpec#validate}. Immutable and
 * serializable, so DoFns may hold it. Secret values are only returned by the typed getters, never by
 * {@link #toString()} or {@link #displayValues()}.
 */
public final class StageConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final String MASK = "****";

  private final Map<String, Object> values;
  private final List<String> secrets;

  StageConfig(ConfigSpec spec, Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.secrets = spec.keys().stream().filter(ConfigKey::secret).map(ConfigKey::name).toList();
  }

  /** Whether the key has a value (given or defaulted). */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /** A string value, or {@code null}. */
  public String getString(String key) {
    return (String) values.get(key);
  }

  /** An int value; throws if absent. */
  public int getInt(String key) {
    return (Integer) require(key);
  }

  /** A long value; throws if absent. */
  public long getLong(String key) {
    return (Long) require(key);
  }

  /** A double value; throws if absent. */
  public double getDouble(String key) {
    return (Double) require(key);
  }

  /** A boolean value; throws if absent. */
  public boolean getBoolean(String key) {
    return (Boolean) require(key);
  }

  /** A string list, empty if absent. */
  @SuppressWarnings("unchecked")
  public List<String> getStringList(String key) {
    Object v = values.get(key);
    return v == null ? List.of() : (List<String>) v;
  }

  /** A map value, empty if absent. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> getMap(String key) {
    Object v = values.get(key);
    return v == null ? Map.of() : (Map<String, Object>) v;
  }

  /** All values with secrets masked: what may be printed, logged or tracked. */
  public Map<String, Object> displayValues() {
    Map<String, Object> out = new LinkedHashMap<>(values);
    secrets.forEach(s -> out.computeIfPresent(s, (k, v) -> MASK));
    return out;
  }

  private Object require(String key) {
    Object v = values.get(key);
    if (v == null) {
      throw new IllegalStateException("config key '" + key + "' has no value and no default");
    }
    return v;
  }

  @Override
  public String toString() {
    return displayValues().toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StageConfig other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }
}
