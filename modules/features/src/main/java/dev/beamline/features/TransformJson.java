package dev.beamline.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.ValueType;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes {@code transform.json}, the versioned artifact of a fitted {@link FeatureTransform}:
 *
 * <pre>{@code
 * {"format": "beamline-transform", "version": 1,
 *  "schema": [{"name": "age", "type": "numeric"}, ...],
 *  "label": {"column": "income", "task": "binary", "classes": ["<=50K", ">50K"], "positive": [">50K"]},
 *  "weightColumn": null,
 *  "features": [{"column": "age", "range": [17, 90], "steps": [{"type": "zscore", "config": {}, "state": {"mean": 38.5, "std": 13.6}}]}],
 *  "featureNames": ["age", ...]}
 * }</pre>
 */
public final class TransformJson {
  /** The format name written in every artifact. */
  public static final String FORMAT = "beamline-transform";

  /** The version this code writes and the newest it reads. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TransformJson() {}

  /** The artifact's JSON text. */
  public static String write(FeatureTransform transform) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    List<Map<String, Object>> schema = new ArrayList<>();
    for (Column c : transform.schema().columns()) {
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("name", c.name());
      col.put("type", c.type().name().toLowerCase(Locale.ROOT));
      if (c.type() == ColumnType.SPARSE) {
        col.put("dimension", c.dimension());
      }
      schema.add(col);
    }
    root.put("schema", schema);
    LabelSpec label = transform.label();
    if (label != null) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("column", label.column());
      l.put("task", label.task().type().name().toLowerCase(Locale.ROOT));
      l.put("classes", label.task().classes());
      l.put("positive", label.positive());
      root.put("label", l);
    } else {
      root.put("label", null);
    }
    root.put("weightColumn", transform.weightColumn());
    List<Map<String, Object>> features = new ArrayList<>();
    for (FeatureTransform.Chain chain : transform.chains()) {
      List<Map<String, Object>> steps = new ArrayList<>();
      for (FeatureTransform.Step step : chain.steps()) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", step.type());
        s.put("config", new java.util.TreeMap<>(step.config())); // sorted: the same bytes whatever map the runner deserialized
        s.put("state", step.fitted().state());
        steps.add(s);
      }
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("column", chain.column());
      if (chain.range() != null) {
        f.put("range", List.of(chain.range().min(), chain.range().max()));
      }
      f.put("steps", steps);
      features.add(f);
    }
    root.put("features", features);
    root.put("featureNames", transform.featureNames());
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write transform.json", e);
    }
  }

  /**
   * Reads an artifact.
   *
   * @param json the artifact's text
   * @param resolver where step types are restored from
   * @throws IllegalArgumentException naming the entry at fault when the artifact is malformed or newer
   *     than this code
   */
  public static FeatureTransform read(String json, StepResolver resolver) {
    Map<String, Object> root;
    try {
      root = MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("transform.json is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (!FORMAT.equals(root.get("format"))) {
      throw new IllegalArgumentException("transform.json: 'format' must be " + FORMAT + ", found " + root.get("format"));
    }
    Object version = root.get("version");
    if (!(version instanceof Integer v) || v < 1 || v > VERSION) {
      throw new IllegalArgumentException("transform.json: version " + version + " is not supported (this Beamline reads 1.." + VERSION + ")");
    }
    List<Column> columns = new ArrayList<>();
    for (Map<String, Object> c : list(root, "schema")) {
      ColumnType type = ColumnType.valueOf(String.valueOf(c.get("type")).toUpperCase(Locale.ROOT));
      int dim = c.get("dimension") instanceof Number n ? n.intValue() : 0;
      columns.add(new Column(String.valueOf(c.get("name")), type, dim));
    }
    Schema schema = new Schema(columns);
    LabelSpec label = null;
    if (root.get("label") instanceof Map<?, ?> l) {
      @SuppressWarnings("unchecked")
      Map<String, Object> lm = (Map<String, Object>) l;
      TaskType type = TaskType.valueOf(String.valueOf(lm.get("task")).toUpperCase(Locale.ROOT));
      label = new LabelSpec(lm.get("column") == null ? null : String.valueOf(lm.get("column")), new Task(type, strings(lm.get("classes"))),
          strings(lm.get("positive")));
    }
    String weight = root.get("weightColumn") == null ? null : String.valueOf(root.get("weightColumn"));
    List<FeatureTransform.Chain> chains = new ArrayList<>();
    for (Map<String, Object> f : list(root, "features")) {
      String column = String.valueOf(f.get("column"));
      ValueType type = switch (schema.find(column).orElseThrow(() -> new IllegalArgumentException(
          "transform.json: feature column '" + column + "' is not in its schema")).type()) {
        case NUMERIC -> ValueType.NUMBER;
        case CATEGORICAL -> ValueType.TEXT;
        case SPARSE -> ValueType.SPARSE;
      };
      List<FeatureTransform.Step> steps = new ArrayList<>();
      for (Map<String, Object> s : list(f, "steps")) {
        String stepType = String.valueOf(s.get("type"));
        Map<String, Object> config = map(s.get("config"));
        FittedStep fitted = resolver.get(stepType).restore(type, config, map(s.get("state")));
        steps.add(new FeatureTransform.Step(stepType, config, fitted));
        type = fitted.outputType();
      }
      chains.add(new FeatureTransform.Chain(column, steps, range(f.get("range"), column)));
    }
    return new FeatureTransform(schema, label, weight, chains);
  }

  private static FeatureTransform.Range range(Object v, String column) {
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Number min) || !(l.get(1) instanceof Number max)
        || min.doubleValue() > max.doubleValue()) {
      throw new IllegalArgumentException("transform.json: feature column '" + column + "': 'range' must be [min, max], found " + v);
    }
    return new FeatureTransform.Range(min.doubleValue(), max.doubleValue());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object v = parent.get(key);
    if (!(v instanceof List<?>)) {
      throw new IllegalArgumentException("transform.json: '" + key + "' must be a list");
    }
    return (List<Map<String, Object>>) v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object v) {
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<String> strings(Object v) {
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      l.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }
}
