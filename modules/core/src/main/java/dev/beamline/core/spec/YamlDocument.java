package dev.beamline.core.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
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
  private static final YAMLFactory YAML = new YAMLFactory();

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
    Map<String, Integer> lines = new HashMap<>();
    Object tree;
    try {
      tree = tree(text, lines);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
          + ": not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ").trim(), e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (!(tree instanceof Map)) {
      throw new ConfigException(file + ": the top level must be a map of keys (name, sources, label, ...), found "
          + (tree == null ? "an empty document" : tree.getClass().getSimpleName()));
    }
    return new YamlDocument(file, (Map<String, Object>) tree, lines);
  }

  /** Reads a YAML text into plain maps, lists and scalars, noting the line of each key path in {@code lines}. */
  private static Object tree(String text, Map<String, Integer> lines) throws IOException {
    try (JsonParser p = YAML.createParser(text)) {
      return p.nextToken() == null ? null : node(p, lines);
    }
  }

  /**
   * The value at the parser's current token. Scalars are read by YAML 1.2's rules, which is what a person writing
   * {@code positive: [yes]} or {@code classes: [no, yes]} means: only true and false are booleans, and
   * yes/no/on/off stay the text written (the parser underneath follows YAML 1.1, which turns them into booleans
   * and a label's values into [false, true]). Keys that take a boolean still accept yes/no/on/off.
   */
  private static Object node(JsonParser p, Map<String, Integer> lines) throws IOException {
    switch (p.currentToken()) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          lines.putIfAbsent(pathOf(p.getParsingContext()), p.currentLocation().getLineNr());
          p.nextToken();
          map.put(key, node(p, lines));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(node(p, lines));
        }
        return list;
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        String written = p.getText();
        return written.equalsIgnoreCase("true") || written.equalsIgnoreCase("false") ? p.getBooleanValue() : written;
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return number(p);
      }
      case VALUE_NULL -> {
        return null;
      }
      case VALUE_EMBEDDED_OBJECT -> {
        return p.getEmbeddedObject();
      }
      default -> {
        return p.getText();
      }
    }
  }

  /** A number as written; YAML's {@code .inf}, {@code -.inf} and {@code .nan} too. */
  private static Object number(JsonParser p) throws IOException {
    String written = p.getText().strip();
    switch (written.toLowerCase(java.util.Locale.ROOT)) {
      case ".inf", "+.inf" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-.inf" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case ".nan" -> {
        return Double.NaN;
      }
      default -> {
        return p.getNumberValue();
      }
    }
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
    if (text.isEmpty()) {
      return "";
    }
    try {
      return tree(text, new HashMap<>());
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e); // reading a String
    }
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
