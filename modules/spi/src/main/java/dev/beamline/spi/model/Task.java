package dev.beamline.spi.model;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What is learned: the task type and, for classification, the class names in label order.
 *
 * @param type the task type
 * @param classes class names, index = label value (binary: negative then positive); empty for regression; for
 *     clustering the reference label's classes, if it has any
 */
public record Task(TaskType type, List<String> classes) implements Serializable {
  public Task {
    Objects.requireNonNull(type, "type");
    classes = List.copyOf(classes);
  }

  /** The number of classes (0 for regression). */
  public int numClasses() {
    return classes.size();
  }

  /** How many predictions per row a model for this task gives. */
  public int predictionWidth() {
    return switch (type) {
      case MULTICLASS -> classes.size();
      case CLUSTERING -> 2;
      case BINARY, REGRESSION -> 1;
    };
  }
}
