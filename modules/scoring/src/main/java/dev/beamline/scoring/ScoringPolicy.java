package dev.beamline.scoring;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to do with a row that has a {@link Problem}: score it anyway (it is reported either way) or reject
 * it. The default rejects rows that cannot be read (a missing column, a value of the wrong type) and scores
 * rows that training would have scored too (an unseen category goes to the out-of-vocabulary bucket, a
 * number outside the training range is used as it is). Immutable.
 */
public final class ScoringPolicy {
  /** Score the row (and report the problem) or reject it. */
  public enum Action { SCORE, REJECT }

  private final Map<Problem, Action> actions;

  private ScoringPolicy(Map<Problem, Action> actions) {
    this.actions = new EnumMap<>(actions);
  }

  /** Rejects missing columns and wrong types; scores unseen categories and out-of-range numbers. */
  public static ScoringPolicy defaults() {
    Map<Problem, Action> m = new EnumMap<>(Problem.class);
    m.put(Problem.MISSING_COLUMN, Action.REJECT);
    m.put(Problem.WRONG_TYPE, Action.REJECT);
    m.put(Problem.UNSEEN_CATEGORY, Action.SCORE);
    m.put(Problem.OUT_OF_RANGE, Action.SCORE);
    return new ScoringPolicy(m);
  }

  /** This policy with {@code problem} handled by {@code action}. */
  public ScoringPolicy with(Problem problem, Action action) {
    Map<Problem, Action> m = new EnumMap<>(actions);
    m.put(Objects.requireNonNull(problem, "problem"), Objects.requireNonNull(action, "action"));
    return new ScoringPolicy(m);
  }

  /**
   * The default policy changed by {@code problem=score|reject} settings, e.g. {@code unseen_category=reject}.
   *
   * @throws IllegalArgumentException naming the setting at fault
   */
  public static ScoringPolicy parse(Iterable<String> settings) {
    ScoringPolicy p = defaults();
    for (String s : settings) {
      int eq = s.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("'" + s + "': write PROBLEM=score or PROBLEM=reject, e.g. unseen_category=reject");
      }
      String action = s.substring(eq + 1).trim().toLowerCase(java.util.Locale.ROOT);
      if (!action.equals("score") && !action.equals("reject")) {
        throw new IllegalArgumentException("'" + s + "': the action must be score or reject");
      }
      p = p.with(Problem.of(s.substring(0, eq)), action.equals("score") ? Action.SCORE : Action.REJECT);
    }
    return p;
  }

  /** What to do about {@code problem}. */
  public Action action(Problem problem) {
    return actions.get(problem);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    actions.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k.label()).append('=').append(v.name().toLowerCase(java.util.Locale.ROOT)));
    return b.toString();
  }
}
