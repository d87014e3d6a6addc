package dev.beamline.scoring;

import java.util.Objects;

/**
 * One problem of one row: what, in which column, in words, and whether the row was rejected for it.
 *
 * @param row the row's index in the batch
 * @param problem the kind of problem
 * @param column the column at fault
 * @param detail what was wrong, e.g. {@code 'abc' is not a number}
 * @param rejected whether the policy rejected the row for it (else the row was scored)
 */
public record Issue(int row, Problem problem, String column, String detail, boolean rejected) {
  public Issue {
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(detail, "detail");
  }

  /** The issue in one line: {@code row 3: column 'age': wrong_type: 'abc' is not a number (rejected)}. */
  public String describe() {
    return "row " + row + ": column '" + column + "': " + problem.label() + ": " + detail + (rejected ? " (rejected)" : " (scored)");
  }
}
