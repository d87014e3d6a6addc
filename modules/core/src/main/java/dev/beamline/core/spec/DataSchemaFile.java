package dev.beamline.core.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.beamline.statistics.DataSchema;
import dev.beamline.statistics.DataSchema.ColumnSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link DataSchema} as {@code schema.yaml}: a list of columns, each with its type, whether it is required,
 * the largest share of missing values, a numeric range or a categorical domain and the share of values
 * outside it that is tolerated. Written by {@code beamline infer-schema} and by every training run, read by
 * a pipeline's {@code validation.schema}; mistakes are named by file, line and key.
 */
public final class DataSchemaFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final Set<String> TYPES = Set.of("numeric", "categorical", "sparse");

  private DataSchemaFile() {}

  /** Reads a schema file. */
  public static DataSchema read(Path file) {
    Node root = Node.root(YamlDocument.read(file)).only(Set.of("columns"));
    List<ColumnSchema> columns = new ArrayList<>();
    for (Node c : root.children("columns", true, "list the columns, e.g. columns: [{name: age, type: numeric, min: 0, max: 120}]")) {
      c.only(Set.of("name", "type", "required", "maxMissingFraction", "min", "max", "domain", "maxOutsideFraction", "maxJensenShannon",
          "maxLInfinity"));
      String name = c.requiredString("name", "name the column");
      String type = c.requiredString("type", "give the type: numeric, categorical or sparse");
      if (!TYPES.contains(type)) {
        throw c.error("type", "'" + type + "' is not a column type; use numeric, categorical or sparse");
      }
      double missing = share(c, "maxMissingFraction", 0);
      double outside = share(c, "maxOutsideFraction", DataSchema.DEFAULT_TOLERANCE);
      Double min = c.has("min") ? c.number("min", 0) : null;
      Double max = c.has("max") ? c.number("max", 0) : null;
      if (min != null && max != null && min > max) {
        throw c.error("min", "is above max (" + max + ")");
      }
      if ((min != null || max != null) && !type.equals("numeric")) {
        throw c.error(min != null ? "min" : "max", "a range is for numeric columns; this one is " + type);
      }
      if (c.has("domain") && !type.equals("categorical")) {
        throw c.error("domain", "a domain is for categorical columns; this one is " + type);
      }
      Double js = c.has("maxJensenShannon") ? share(c, "maxJensenShannon", 0) : null;
      Double linf = c.has("maxLInfinity") ? share(c, "maxLInfinity", 0) : null;
      if (linf != null && !type.equals("categorical")) {
        throw c.error("maxLInfinity", "the L-infinity distance is for categorical columns; this one is " + type);
      }
      columns.add(new ColumnSchema(name, type, c.bool("required", true), missing, min, max, c.has("domain") ? c.strings("domain") : null,
          outside, js, linf));
    }
    return new DataSchema(columns);
  }

  private static double share(Node c, String key, double fallback) {
    double v = c.number(key, fallback);
    if (!(v >= 0 && v <= 1)) {
      throw c.error(key, "must be a share between 0 and 1, e.g. 0.01 for 1%");
    }
    return v;
  }

  /** Writes a schema file, {@code header} as its first comment lines. */
  public static void write(DataSchema schema, Path file, String header) throws IOException {
    List<Map<String, Object>> columns = new ArrayList<>();
    for (ColumnSchema c : schema.columns()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", c.name());
      m.put("type", c.type());
      m.put("required", c.required());
      m.put("maxMissingFraction", c.maxMissingFraction());
      if (c.min() != null) {
        m.put("min", c.min());
      }
      if (c.max() != null) {
        m.put("max", c.max());
      }
      if (c.domain() != null) {
        m.put("domain", c.domain());
      }
      if (c.min() != null || c.max() != null || c.domain() != null) {
        m.put("maxOutsideFraction", c.maxOutsideFraction());
      }
      if (c.maxJensenShannon() != null) {
        m.put("maxJensenShannon", c.maxJensenShannon());
      }
      if (c.maxLInfinity() != null) {
        m.put("maxLInfinity", c.maxLInfinity());
      }
      columns.add(m);
    }
    StringBuilder text = new StringBuilder();
    for (String line : header.split("\n")) {
      text.append("# ").append(line).append('\n');
    }
    text.append(YAML.writeValueAsString(Map.of("columns", columns)));
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text);
  }
}
