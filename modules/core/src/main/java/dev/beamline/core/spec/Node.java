package dev.beamline.core.spec;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A map in the pipeline YAML with its key path: typed reads whose errors name the file, line and key. */
final class Node {
  private final YamlDocument doc;
  private final String path;
  private final Map<String, Object> map;

  Node(YamlDocument doc, String path, Map<String, Object> map) {
    this.doc = doc;
    this.path = path;
    this.map = map;
  }

  static Node root(YamlDocument doc) {
    return new Node(doc, "", doc.root());
  }

  String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  ConfigException error(String name, String message) {
    String key = name == null ? path : key(name);
    return new ConfigException(doc.at(key) + ": " + (key.isEmpty() ? "" : key + ": ") + message);
  }

  /** Fails on keys outside {@code allowed}. */
  Node only(Set<String> allowed) {
    for (String k : map.keySet()) {
      if (!allowed.contains(k)) {
        throw error(k, "unknown key '" + k + "'; allowed keys here: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
    return this;
  }

  boolean has(String name) {
    return map.get(name) != null;
  }

  Object raw(String name) {
    return map.get(name);
  }

  Map<String, Object> map() {
    return map;
  }

  String string(String name, String fallback) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Map || v instanceof List) {
      throw error(name, "expected a single value");
    }
    return String.valueOf(v);
  }

  String requiredString(String name, String hint) {
    String v = string(name, null);
    if (v == null || v.isBlank()) {
      throw error(name, "missing; " + hint);
    }
    return v;
  }

  double number(String name, double fallback) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(v));
    } catch (NumberFormatException e) {
      throw error(name, "'" + v + "' is not a number");
    }
  }

  long integer(String name, long fallback) {
    double d = number(name, fallback);
    if (d != Math.rint(d)) {
      throw error(name, "'" + map.get(name) + "' is not an integer");
    }
    return (long) d;
  }

  boolean bool(String name, boolean fallback) {
    Object v = map.get(name);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    Boolean b = ConfigType.booleanOf(String.valueOf(v));
    if (b == null) {
      throw error(name, "'" + v + "' is not true or false");
    }
    return b;
  }

  List<String> strings(String name) {
    Object v = map.get(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map || o instanceof List) {
          throw error(name, "expected a list of values");
        }
        out.add(o == null ? "" : String.valueOf(o));
      }
    } else if (v instanceof Map) {
      throw error(name, "expected a list of values");
    } else {
      out.add(String.valueOf(v));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  Node child(String name, boolean required, String hint) {
    Object v = map.get(name);
    if (v == null) {
      if (required) {
        throw error(name, "missing; " + hint);
      }
      return new Node(doc, key(name), new LinkedHashMap<>());
    }
    if (!(v instanceof Map)) {
      throw error(name, "expected a map of keys; " + hint);
    }
    return new Node(doc, key(name), (Map<String, Object>) v);
  }

  @SuppressWarnings("unchecked")
  List<Node> children(String name, boolean required, String hint) {
    Object v = map.get(name);
    if (v == null) {
      if (required) {
        throw error(name, "missing; " + hint);
      }
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      throw error(name, "expected a list; " + hint);
    }
    List<Node> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map)) {
        throw error(name + "." + i, "expected a map of keys; " + hint);
      }
      out.add(new Node(doc, key(name + "." + i), (Map<String, Object>) list.get(i)));
    }
    return out;
  }

  /** Item {@code index} of the list {@code name}, itself a map. */
  @SuppressWarnings("unchecked")
  Node item(String name, int index) {
    return new Node(doc, key(name + "." + index), (Map<String, Object>) ((List<?>) map.get(name)).get(index));
  }

  /** The named children of a map node, in order. */
  List<Map.Entry<String, Node>> entries() {
    List<Map.Entry<String, Node>> out = new ArrayList<>();
    for (String k : map.keySet()) {
      out.add(Map.entry(k, child(k, true, "")));
    }
    return out;
  }

  String path() {
    return path;
  }

  String at() {
    return doc.at(path);
  }
}
