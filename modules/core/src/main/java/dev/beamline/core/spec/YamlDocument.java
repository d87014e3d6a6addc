package dev.beamline.core.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beamline.spi.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML file read into plain maps and lists, with the line of every key remembered so that errors can
 * say {@code pipeline.yaml:12: trainer.params: unknown key 'max_dept'}. {@code --set} overrides are
 * applied on the tree before anything reads it.
 */
public final class YamlDocument {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String file;
  private final Map<String, Object> root;
  private final Map<String, Integer> lines;

  private YamlDocument(String file, Map<String, Object> root, Map<String, Integer> lines) {
    this.file = file;
    this.root = root;
    this.lines = lines;
  }

  /** Reads a YAML file whose top level is a map. */
  public static YamlDocument read(Path path) {
    String text;
    try {
      text = Files.readString(path);
    } catch (NoSuchFileException e) {
      throw new ConfigException(path + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot read (" + e.getMessage() + ")", e);
    }
    return parse(path.toString(), text);
  }

  /** Parses YAML text; {@code file} names it in messages. */
  @SuppressWarnings("unchecked")
  public static YamlDocument parse(String file, String text) {
    Object tree;
    try {
      tree = YAML.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
          + ": not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").trim(), e);
    }
    if (!(tree instanceof Map)) {
      throw new ConfigException(file + ": the top level must be a map of keys (name, sources, label, ...), found "
          + (tree == null ? "an empty document" : tree.getClass().getSimpleName()));
    }
    return new YamlDocument(file, (Map<String, Object>) tree, keyLines(text));
  }

  private static Map<String, Integer> keyLines(String text) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = YAML.getFactory().createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.FIELD_NAME) {
          lines.putIfAbsent(pathOf(p.getParsingContext()), p.currentLocation().getLineNr());
        }
      }
    } catch (IOException e) {
      // Already parsed once: locations are a nicety, not a requirement.
    }
    return lines;
  }

  private static String pathOf(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      parts.addFirst(c.inObject() ? String.valueOf(c.getCurrentName()) : String.valueOf(c.getCurrentIndex()));
    }
    return String.join(".", parts);
  }

  /** The file name as messages show it. */
  public String file() {
    return file;
  }

  /** The tree. */
  public Map<String, Object> root() {
    return root;
  }

  /** {@code file:line} of a key path when known, else {@code file}. */
  public String at(String keyPath) {
    String p = keyPath;
    while (!p.isEmpty()) {
      Integer line = lines.get(p);
      if (line != null) {
        return file + ":" + line;
      }
      int dot = p.lastIndexOf('.');
      p = dot < 0 ? "" : p.substring(0, dot);
    }
    return file;
  }

  /**
   * Applies {@code key.path=value} overrides; the value is read as YAML (so {@code 0.1} is a number and
   * {@code [a, b]} a list). Numeric path segments index lists.
   */
  @SuppressWarnings("unchecked")
  public void override(List<String> assignments) {
    for (String a : assignments) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--set " + a + ": expected KEY=VALUE, e.g. --set trainer.rounds=50");
      }
      String key = a.substring(0, eq).trim();
      Object value;
      try {
        value = value(a.substring(eq + 1));
      } catch (JsonProcessingException e) {
        throw new ConfigException("--set " + a + ": the value is not valid YAML: " + e.getOriginalMessage());
      }
      String[] parts = key.split("\\.");
      Object node = root;
      for (int i = 0; i < parts.length - 1; i++) {
        node = child(node, parts[i], key, true);
      }
      String last = parts[parts.length - 1];
      if (node instanceof Map) {
        ((Map<String, Object>) node).put(last, value);
      } else if (node instanceof List<?> list) {
        int i = index(last, list, key);
        ((List<Object>) list).set(i, value);
      } else {
        throw new ConfigException("--set " + a + ": '" + key + "' does not lead to a map or list");
      }
    }
  }

  /** The value of an override, read as YAML ({@code ""} when empty). */
  public static Object value(String text) throws JsonProcessingException {
    return text.isEmpty() ? "" : YAML.readValue(text, Object.class);
  }

  @SuppressWarnings("unchecked")
  private static Object child(Object node, String part, String key, boolean create) {
    if (node instanceof Map<?, ?> map) {
      Object next = map.get(part);
      if (next == null && create) {
        next = new LinkedHashMap<String, Object>();
        ((Map<String, Object>) map).put(part, next);
      }
      return next;
    }
    if (node instanceof List<?> list) {
      return list.get(index(part, list, key));
    }
    throw new ConfigException("--set " + key + ": '" + part + "' is inside a value that is neither a map nor a list");
  }

  private static int index(String part, List<?> list, String key) {
    try {
      int i = Integer.parseInt(part);
      if (i < 0 || i >= list.size()) {
        throw new ConfigException("--set " + key + ": index " + i + " is outside the list of " + list.size());
      }
      return i;
    } catch (NumberFormatException e) {
      throw new ConfigException("--set " + key + ": '" + part + "' indexes a list; use a number");
    }
  }

  /** A deep copy of a subtree as plain Java values (for recording the resolved spec). */
  public static Object copy(Object node) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (node instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(copy(v)));
      return out;
    }
    return node;
  }
}
