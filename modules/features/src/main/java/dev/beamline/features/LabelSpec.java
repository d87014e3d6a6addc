package dev.beamline.features;

import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * How a row's label is read: the column, the task and, for classification, the classes.
 *
 * <ul>
 *   <li>regression: the column's number;
 *   <li>binary: a numeric column must hold 0 or 1; for a text column, values in {@code positive} are 1 and
 *       every other present value is 0 ({@code classes} names them: negative first);
 *   <li>multi-class: the value's position in {@code classes} (fitted from the training split when the spec
 *       does not declare them; a numeric column's values are the class indices);
 *   <li>clustering: no label is needed; a column, when named, is a reference (a numeric column's value, or a text
 *       value's position in {@code classes}); a row without one, or with a text value outside the classes, has
 *       none (NaN) and is not rejected.
 * </ul>
 *
 * @param column the label column; null only for clustering without a reference
 * @param task the task, with the class names
 * @param positive the text values that mean class 1 (binary, text column only)
 */
public record LabelSpec(String column, Task task, List<String> positive) implements Serializable {
  public LabelSpec {
    Objects.requireNonNull(task, "task");
    if (column == null && task.type() != TaskType.CLUSTERING) {
      throw new NullPointerException("column");
    }
    positive = List.copyOf(positive);
  }

  /** A label read, or why it could not be. */
  public record Label(double value, String problem) {}

  /** Reads the label of a row of {@code schema}. */
  public Label read(Schema schema, Record record) {
    if (column == null) {
      return new Label(Double.NaN, null); // clustering without a reference
    }
    return of(schema.valueAt(record, position(schema)));
  }

  /**
   * The label of a value of the label column as {@link Schema#valueAt} gives it (a Double, NaN when missing, or a
   * String, null when missing), for a loop that reads the column in place.
   */
  public Label of(Object value) {
    return value instanceof Double d ? ofNumber(d) : ofText((String) value);
  }

  /** The label column's position in {@code schema}. */
  private int position(Schema schema) {
    int position = schema.position(column);
    if (position < 0) {
      throw new IllegalArgumentException("no label column '" + column + "' in schema " + schema.names());
    }
    return position;
  }

  /** The label of a numeric label column's value (NaN: missing). */
  private Label ofNumber(double v) {
    if (task.type() == TaskType.CLUSTERING) {
      return new Label(v, null); // a reference: missing is no problem
    }
    if (Double.isNaN(v)) {
      return new Label(Double.NaN, "label column '" + column + "' is missing");
    }
    if (task.type() == TaskType.REGRESSION) {
      return new Label(v, null);
    }
    int k = task.type() == TaskType.BINARY ? 2 : task.numClasses();
    if (v != Math.rint(v) || v < 0 || v >= k) {
      return new Label(Double.NaN, "label column '" + column + "': " + v + " is not a class index 0.." + (k - 1));
    }
    return new Label(v, null);
  }

  /** The label of a text label column's value (null: missing). */
  private Label ofText(String s) {
    if (task.type() == TaskType.CLUSTERING) {
      int i = task.classes().lastIndexOf(s); // a reference: a missing or unknown value has none
      return new Label(i < 0 ? Double.NaN : i, null);
    }
    if (s == null) {
      return new Label(Double.NaN, "label column '" + column + "' is missing");
    }
    switch (task.type()) {
      case BINARY:
        return new Label(positive.contains(s) ? 1 : 0, null);
      case MULTICLASS:
        int i = task.classes().lastIndexOf(s);
        return i < 0
            ? new Label(Double.NaN, "label column '" + column + "': '" + s + "' is not one of the classes " + task.classes())
            : new Label(i, null);
      default:
        try {
          return new Label(Double.parseDouble(s), null);
        } catch (NumberFormatException e) {
          return new Label(Double.NaN, "label column '" + column + "': '" + s + "' is not a number");
        }
    }
  }

  /**
   * Why a training split whose {@code rows} rows all have the label {@code only} cannot train a classifier, and what
   * to check: the values that mean the positive class, or the classes.
   */
  public String oneClass(double only, int rows) {
    String values = " (the column's values in the training split: statistics.json, datasets.train.columns." + column + ".values)";
    if (task.type() == TaskType.BINARY && !positive.isEmpty()) {
      return only == 0
          ? "label.positive " + positive + ": none of the " + rows + " training rows has one of these values in column '" + column
              + "', so every row is class 0; name the values that mean class 1 exactly as the data writes them" + values
          : "label.positive " + positive + ": all " + rows + " training rows have one of these values in column '" + column
              + "', so there is no class 0 to learn from" + values;
    }
    String name = task.type() == TaskType.MULTICLASS && only < task.classes().size()
        ? "'" + task.classes().get((int) only) + "'" : String.valueOf((int) only);
    return "label column '" + column + "': all " + rows + " training rows are class " + name
        + "; a classifier needs rows of at least two classes" + values;
  }
}
