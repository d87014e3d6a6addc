package dev.beamline.core.run;

import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.spec.YamlDocument;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * New files read the way a run read its data: the source plugin and settings it recorded ({@code source.json}),
 * changed by {@code --set source.KEY=VALUE} ({@code source.type} picks another plugin). What batch scoring and
 * the data check share.
 */
final class InputSource {

  private InputSource() {}

  /** The type a {@code --set source.type=...} names, or {@code recorded}. */
  static String type(String recorded, List<String> overrides, String missingHint) {
    for (String s : overrides) {
      if (s.startsWith("type=")) {
        return s.substring(5).strip();
      }
    }
    if (recorded == null) {
      throw new ConfigException(missingHint);
    }
    return recorded;
  }

  /**
   * The source plugin {@code type} on {@code inputs}, the settings recorded with {@code recordedType} changed by the
   * overrides ({@code KEY=VALUE}, values read as YAML; {@code ~} drops a recorded setting); another plugin than the
   * recorded one (a model trained from a database scoring a CSV file) starts from its own defaults. A source that reads
   * no files (a database) takes no inputs: its settings say what it reads.
   *
   * @param what names the settings in messages
   */
  static SourceStage open(PluginRegistry registry, String type, String recordedType, Map<String, Object> recorded, List<String> overrides,
      List<Path> inputs, String what) {
    Map<String, Object> settings = new LinkedHashMap<>(type.equals(recordedType) ? recorded : Map.of());
    for (String s : overrides) {
      int eq = s.indexOf('=');
      if (eq < 1) {
        throw new ConfigException("--set source." + s + ": write --set source.KEY=VALUE, e.g. --set source.delimiter=';'");
      }
      String key = s.substring(0, eq).strip();
      if (!key.equals("type")) {
        Object value;
        try {
          value = YamlDocument.value(s.substring(eq + 1));
        } catch (IOException e) {
          throw new ConfigException("--set source." + s + ": not a YAML value (" + e.getMessage() + ")", e);
        }
        if (value == null) {
          settings.remove(key); // --set source.table=~ : the recorded setting is dropped (to give a query instead)
        } else {
          settings.put(key, value);
        }
      }
    }
    SourceFactory factory = registry.source(type, "--set source.type");
    if (factory.configSpec().keys().stream().anyMatch(k -> k.name().equals("path"))) {
      if (inputs.isEmpty()) {
        throw new ConfigException("--input: name at least one file to read with the source '" + type + "'");
      }
      settings.put("path", inputs.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList());
    } else if (!inputs.isEmpty()) {
      throw new ConfigException("--input: the source '" + type + "' reads no files; to read " + inputs.get(0).getFileName()
          + " name its source: --set source.type=csv (with its settings, e.g. --set source.header=none), jsonl or libsvm");
    }
    StageConfig config = factory.configSpec().validate(what, settings);
    return factory.create(config, new SourceContext("input", 0, Path.of("").toAbsolutePath(), "--input"));
  }

  /** The {@code --set source.KEY=VALUE} overrides as {@code run.json} records them: the values of the plugin's secret keys masked. */
  static List<String> recorded(PluginRegistry registry, String type, List<String> overrides) {
    java.util.Set<String> secrets = new java.util.TreeSet<>();
    registry.source(type, "--set source.type").configSpec().keys().stream().filter(k -> k.secret()).forEach(k -> secrets.add(k.name()));
    return SecretMasks.maskOverrides(overrides, secrets);
  }

  /**
   * The columns of {@code full} the source finds in its files: all of them when it reads the whole schema,
   * else those it can read one by one (a source that finds columns by name, e.g. a CSV header) when it can read
   * them together. Throws the source's error for the whole schema when neither works (a file read by position
   * whose rows have other widths).
   */
  static Schema presentColumns(SourceStage source, Schema full) throws IOException {
    ConfigException whole;
    try {
      source.checkSchema(full);
      return full;
    } catch (ConfigException e) {
      whole = e;
    }
    List<Column> present = new ArrayList<>();
    for (Column c : full.columns()) {
      try {
        source.checkSchema(new Schema(List.of(c)));
        present.add(c);
      } catch (ConfigException e) {
        // absent from the files
      }
    }
    if (present.isEmpty()) {
      throw whole;
    }
    Schema some = new Schema(present);
    source.checkSchema(some);
    return some;
  }
}
