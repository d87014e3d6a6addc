package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The lines of a predictions file, shared by the training run's {@code predictions/test.csv} and batch
 * scoring's {@code predictions.csv} (or {@code .jsonl}): each line has the row's id (source, file, line), the
 * input columns kept, the label as training reads it (the class index, or the value; empty when the row has
 * none), and the prediction's values under columns named by the task.
 *
 * @param keep the names of the input columns kept, in order
 * @param jsonLines JSON lines (one object a row) instead of CSV
 */
record PredictionLines(List<String> keep, boolean jsonLines) implements Serializable {
  private static final long serialVersionUID = 1L;

  PredictionLines {
    keep = List.copyOf(Objects.requireNonNull(keep, "keep"));
  }

  /** CSV lines with no kept columns: {@code predictions/test.csv}. */
  static PredictionLines csv() {
    return new PredictionLines(List.of(), false);
  }

  /** The header line (CSV), or {@code null} (JSON lines have none). */
  String header(Task task) {
    if (jsonLines) {
      return null;
    }
    StringBuilder b = new StringBuilder("source,file,line");
    keep.forEach(m -> b.append(',').append(field(m)));
    b.append(",label");
    scoreColumns(task).forEach(s -> b.append(',').append(field(s)));
    return b.toString();
  }

  /** The line of row {@code row} of {@code block}, whose prediction is {@code prediction}. */
  String line(Task task, Rejections where, ExampleBlock block, int row, float[] prediction) {
    long id = block.ids()[row];
    Object label = label(task, block.labels()[row]);
    if (jsonLines) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", where.sourceName(id));
      m.put("file", where.filePath(id));
      m.put("line", RecordIds.line(id));
      for (int k = 0; k < keep.size(); k++) {
        m.put(keep.get(k), block.kept(row, k));
      }
      m.put("label", label);
      List<String> names = scoreColumns(task);
      for (int k = 0; k < prediction.length; k++) {
        m.put(names.get(k), wholeAt(task, k) ? (Object) (int) prediction[k] : (Object) prediction[k]);
      }
      return Json.compact(m);
    }
    StringBuilder line = new StringBuilder(64).append(field(where.sourceName(id))).append(',').append(field(where.filePath(id)))
        .append(',').append(RecordIds.line(id));
    for (int k = 0; k < keep.size(); k++) {
      Object v = block.kept(row, k);
      line.append(',').append(v == null ? "" : field(text(v)));
    }
    line.append(',').append(label == null ? "" : label);
    for (int k = 0; k < prediction.length; k++) {
      line.append(',');
      if (wholeAt(task, k)) {
        line.append((int) prediction[k]);
      } else {
        line.append(prediction[k]);
      }
    }
    return line.toString();
  }

  /** Whether the prediction's value {@code k} is a whole number: a cluster. */
  private static boolean wholeAt(Task task, int k) {
    return task.type() == TaskType.CLUSTERING && k == 0;
  }

  /** The label as training read it: the class index, or the value (regression); null when the row has none. */
  private static Object label(Task task, float label) {
    if (Float.isNaN(label)) {
      return null;
    }
    return task.type() == TaskType.REGRESSION ? (Object) label : (Object) (int) label;
  }

  /**
   * The prediction's columns: {@code probability} (binary), {@code p_<class>} per class (multi-class), {@code prediction}
   * (regression), or {@code cluster} and {@code distance} (clustering: the squared distance to the cluster's centre).
   */
  static List<String> scoreColumns(Task task) {
    return switch (task.type()) {
      case BINARY -> List.of("probability");
      case REGRESSION -> List.of("prediction");
      case CLUSTERING -> List.of("cluster", "distance");
      case MULTICLASS -> new ArrayList<>(task.classes().stream().map(k -> "p_" + k).toList());
    };
  }

  /** A CSV field, quoted when it must be. */
  static String field(String s) {
    return s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
  }

  /** A value as text: whole numbers without a fraction, as a CSV file would have them. */
  static String text(Object v) {
    return v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(v);
  }
}
