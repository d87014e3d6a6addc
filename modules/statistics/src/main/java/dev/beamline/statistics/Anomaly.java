package dev.beamline.statistics;

import java.util.Locale;

/**
 * Something about a dataset that its {@link DataSchema} does not allow (an error) or that deserves a look
 * (a warning).
 *
 * @param dataset which data (a split, a source, an input)
 * @param column the column
 * @param kind what is wrong: missing_column, extra_column, type_change, missing_values, out_of_range, out_of_domain, too_many_values, drift
 * @param severity how bad
 * @param message what was found and what the schema allows, for a person
 */
public record Anomaly(String dataset, String column, String kind, Severity severity, String message) {
  /** How bad an anomaly is: an error stops a run (exit code 3), a warning is reported. */
  public enum Severity {
    ERROR, WARNING;

    /** The lowercase name. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One line: {@code error test: column 'age': ...}. */
  public String describe() {
    return severity.label() + " " + dataset + ": column '" + column + "': " + message;
  }
}
