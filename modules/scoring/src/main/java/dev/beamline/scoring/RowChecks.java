package dev.beamline.scoring;

import dev.beamline.features.FeatureTransform;
import java.util.List;
import java.util.Objects;

/**
 * The checks of one row while the fitted transform applies it: each unseen category, each number outside
 * the training range and each value a step cannot read (a wrong type: text that is not a date) becomes an {@link Issue}, and the row is rejected when the {@link ScoringPolicy} says so
 * for any of them. The online scorer and the batch scoring pipeline's transform stage both use it, so a row is
 * judged the same way wherever it is scored.
 */
public final class RowChecks implements FeatureTransform.Inspector {
  private final ScoringPolicy policy;
  private final int row;
  private final List<Issue> issues;
  private boolean rejected;

  /**
   * @param row the row's index in its batch (as the issues name it)
   * @param issues where the row's issues are added
   */
  public RowChecks(ScoringPolicy policy, int row, List<Issue> issues) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.row = row;
    this.issues = Objects.requireNonNull(issues, "issues");
  }

  /** Whether the policy rejects the row for one of its issues. */
  public boolean rejected() {
    return rejected;
  }

  @Override
  public void outOfRange(String column, double value, FeatureTransform.Range range) {
    add(Problem.OUT_OF_RANGE, column, value + " is outside the training range [" + range.min() + ", " + range.max() + "]");
  }

  @Override
  public void unseen(String column, Object value, String stepType) {
    add(Problem.UNSEEN_CATEGORY, column, "'" + value + "' was not seen in training (" + stepType + ": out of vocabulary)");
  }

  @Override
  public void unreadable(String column, String detail) {
    add(Problem.WRONG_TYPE, column, detail);
  }

  private void add(Problem problem, String column, String detail) {
    boolean reject = policy.action(problem) == ScoringPolicy.Action.REJECT;
    rejected |= reject;
    issues.add(new Issue(row, problem, column, detail, reject));
  }
}
