package dev.beamline.core.beam;

import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.model.Task;
import java.util.List;

/**
 * The CSV form of prediction lines, shared by the training run's {@code predictions/test.csv} and batch
 * scoring's {@code predictions.csv}: each line starts with the row's id (source, file, line) and ends with
 * the prediction's values under columns named by the task.
 */
final class PredictionCsv {
  private PredictionCsv() {}

  /** A CSV field, quoted when it must be. */
  static String field(String s) {
    return s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 ? s : '"' + s.replace("\"", "\"\"") + '"';
  }

  /** The prediction's columns: {@code probability} (binary), {@code p_<class>} per class (multi-class) or {@code prediction} (regression). */
  static List<String> scoreColumns(Task task) {
    return switch (task.type()) {
      case BINARY -> List.of("probability");
      case REGRESSION -> List.of("prediction");
      case MULTICLASS -> task.classes().stream().map(k -> "p_" + k).toList();
    };
  }

  /** A header line of {@code source,file,line}, then {@code middle}, then the prediction's columns, each quoted as needed. */
  static String header(Task task, List<String> middle) {
    StringBuilder b = new StringBuilder("source,file,line");
    middle.forEach(m -> b.append(',').append(field(m)));
    scoreColumns(task).forEach(s -> b.append(',').append(field(s)));
    return b.toString();
  }

  /** Starts a line with the row's source, file and line number. */
  static StringBuilder rowId(StringBuilder line, Rejections where, long id) {
    return line.append(field(where.sourceName(id))).append(',').append(field(where.filePath(id))).append(',').append(RecordIds.line(id));
  }

  /** Ends a line with the prediction's values. */
  static StringBuilder scores(StringBuilder line, float[] prediction) {
    for (float v : prediction) {
      line.append(',').append(v);
    }
    return line;
  }
}
