package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.KV;

/**
 * A training run's {@code metrics.json}: each split's metrics, then the test metrics' bootstrap intervals and
 * the test split's slices when the run has them, and the champion's metrics on the same test rows:
 * {@code {"train": {..}, "validation": {..}, "test": {..}, "intervals": {"confidence": 0.95, "samples": 200,
 * "test": {"auc": {"low": .., "high": .., "stderr": ..}}}, "slices": {"sex": {"Female": {..}, "Male": {..}}}, "champion": {"test": {..}}}}; the run adds its
 * {@code blessing}.
 */
public final class MetricsFile {
  /** The file's name in the run directory. */
  public static final String FILE = "metrics.json";

  private MetricsFile() {}

  /** The file's text from the merged metrics of every {@link EvaluationKey}. */
  static String assemble(Iterable<KV<String, Map<String, Double>>> merged, Slicer slicer, Bootstrap bootstrap) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Split s : Split.values()) {
      out.put(s.label(), new LinkedHashMap<>());
    }
    List<Map<String, Double>> replicates = new ArrayList<>();
    List<Map<List<String>, Map<String, Double>>> slices = new ArrayList<>();
    for (int i = 0; slicer != null && i < slicer.size(); i++) {
      slices.add(new TreeMap<>(Slicer.ORDER));
    }
    for (KV<String, Map<String, Double>> kv : merged) {
      EvaluationKey.Parsed key = EvaluationKey.parse(kv.getKey());
      if (key instanceof EvaluationKey.SplitKey s) {
        out.put(s.split(), new TreeMap<>(kv.getValue()));
      } else if (key instanceof EvaluationKey.ModelKey m) {
        out.put(m.name(), Map.of(Split.TEST.label(), new TreeMap<>(kv.getValue())));
      } else if (key instanceof EvaluationKey.SliceKey s) {
        slices.get(s.slicing()).put(s.parts(), new TreeMap<>(kv.getValue()));
      } else {
        replicates.add(kv.getValue());
      }
    }
    if (bootstrap.samples() > 0) {
      Map<String, Object> intervals = new LinkedHashMap<>();
      intervals.put("confidence", bootstrap.confidence());
      intervals.put("samples", bootstrap.samples());
      intervals.put(Split.TEST.label(), new TreeMap<>(bootstrap.intervals(replicates)));
      out.put("intervals", intervals);
    }
    if (slicer != null) {
      Map<String, Object> bySlicing = new LinkedHashMap<>();
      for (int i = 0; i < slices.size(); i++) {
        Map<String, Object> named = new LinkedHashMap<>();
        int slicing = i;
        slices.get(i).forEach((parts, metrics) -> named.put(slicer.label(slicing, parts), metrics));
        bySlicing.put(slicer.name(i), named);
      }
      out.put("slices", bySlicing);
    }
    return Json.pretty(out);
  }

  /** Each split's overall metrics ({@code train}, {@code validation}, {@code test}), NaN where a metric is undefined. */
  @SuppressWarnings("unchecked")
  public static Map<String, Map<String, Double>> splits(Path file) throws IOException {
    Map<String, Object> all = Json.parseObject(Files.readString(file));
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (Split s : Split.values()) {
      out.put(s.label(), numbers((Map<String, Object>) all.getOrDefault(s.label(), Map.of())));
    }
    return out;
  }

  /** Another model's test metrics in the file ({@code champion}), or an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Double> model(Path file, String name) throws IOException {
    Object m = read(file).get(name);
    return m instanceof Map<?, ?> model && model.get(Split.TEST.label()) instanceof Map<?, ?> test ? numbers((Map<String, Object>) test)
        : Map.of();
  }

  /** Adds (or replaces) a top-level entry, e.g. the run's {@code blessing}; a null value removes it. */
  public static void put(Path file, String key, Object value) throws IOException {
    Map<String, Object> all = read(file);
    if (value == null) {
      all.remove(key);
    } else {
      all.put(key, value);
    }
    Files.writeString(file, Json.pretty(all));
  }

  /** The whole file as plain maps. */
  public static Map<String, Object> read(Path file) throws IOException {
    return Json.parseObject(Files.readString(file));
  }

  /** A metrics map's values as doubles (null, written for NaN, read back as NaN). */
  public static Map<String, Double> numbers(Map<String, Object> values) {
    Map<String, Double> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(k, v instanceof Number n ? n.doubleValue() : Double.NaN));
    return m;
  }
}
