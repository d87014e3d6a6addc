package dev.beamline.core.plan;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.spec.PipelineSpec;
import dev.beamline.core.spec.TuningSpec;
import dev.beamline.core.spec.TuningSpec.Dimension;
import dev.beamline.core.tune.Trials;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.TrainerFactory.SearchKeys;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.model.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A search resolved against the plugins: every trial's trainer configuration validated, so that a key the
 * trainer does not have, or a value it refuses, is found by {@code beamline validate} and named by its line.
 *
 * @param spec the {@code tuning} section
 * @param trials the trials, in order (trial {@code i} is number {@code i + 1} in messages and tracking)
 * @param rungs the rungs trials climb: one (every trial, the rounds as configured) but with successive halving
 * @param base the trainer section's values (with the seed), which every trial's values are set in
 * @param keys the trainer's settings a search may set
 */
public record TuningPlan(TuningSpec spec, List<Trial> trials, List<Rung> rungs, Map<String, Object> base, SearchKeys keys)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public TuningPlan {
    trials = List.copyOf(trials);
    rungs = List.copyOf(rungs);
    base = Trials.apply(base, Map.of()); // a copy of its own
  }

  /**
   * Whether the winner is retrained on every training row, the validation split's too, for the rounds its folds
   * chose: with k-fold cross-validation, when the trainer has a rounds setting. The folds' held-out rows have
   * done the validation split's work (stopping each fold's boosting), so its rows join the training split.
   */
  public boolean refits() {
    return !spec.onValidationSplit() && keys.rounds() != null;
  }

  /**
   * Whether each trial trains with one thread, so that the runner's workers train trials side by side instead of one
   * trial on every core: when the trainer has a threads setting and neither the trainer section nor the space sets it.
   */
  public boolean oneThreadEach() {
    return oneThreadEach(spec, base, keys);
  }

  private static boolean oneThreadEach(TuningSpec spec, Map<String, Object> base, SearchKeys keys) {
    return keys.threads() != null && !base.containsKey(keys.threads()) && !spec.space().containsKey(keys.threads());
  }

  /**
   * The trainer's values for the winner's retraining: the trial's values, {@code rounds} rounds, early stopping off
   * (there are no validation rows to stop on).
   */
  public Map<String, Object> refitValues(int trial, int rounds) {
    Map<String, Object> set = new java.util.LinkedHashMap<>(trials.get(trial).values());
    set.put(keys.rounds(), rounds);
    if (keys.earlyStopping() != null) {
      set.put(keys.earlyStopping(), 0);
    }
    return Trials.apply(base, set);
  }

  /**
   * One rung of the search.
   *
   * @param trials how many trials it trains (the best of the rung before; every trial in the first)
   * @param rounds the boosting rounds each trains with, or 0 for the trainer's as configured
   */
  public record Rung(int trials, int rounds) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The search in one line: {@code search: random, 20 trials over rounds, params.eta; 3-fold stratified; by auc (higher is better)}. */
  public String describe() {
    StringBuilder halving = new StringBuilder();
    if (rungs.size() > 1) {
      halving.append(" (rungs of ");
      for (int i = 0; i < rungs.size(); i++) {
        halving.append(i == 0 ? "" : ", ").append(rungs.get(i).trials()).append(" x ").append(rungs.get(i).rounds()).append(" rounds");
      }
      halving.append(')');
    }
    return "search: " + spec.strategy() + ", " + trials.size() + (trials.size() == 1 ? " trial" : " trials") + halving
        + (spec.space().isEmpty() ? " (the settings as given)" : " over " + String.join(", ", spec.space().keySet())) + "; "
        + (spec.onValidationSplit() ? "scored on " : "") + spec.validation()
        + "; by " + spec.metric() + " (" + (spec.maximize() ? "higher" : "lower") + " is better)"
        + (spec.maxMinutes() > 0 ? "; at most " + spec.maxMinutes() + " minutes" : "")
        + (oneThreadEach() ? "; one thread a trial" : "")
        + (refits() ? "; the winner retrained on every training row for its folds' rounds" : "");
  }

  /**
   * One trial.
   *
   * @param values the searched settings' values, by path ({@code params.eta})
   * @param rungs the trainer with those values set, per rung (its rounds set by the rung)
   */
  public record Trial(Map<String, Object> values, List<PlannedStage> rungs) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Trial {
      rungs = List.copyOf(rungs);
    }

    /** The trainer of the last rung: the one the run's model is trained with when this trial wins. */
    public PlannedStage trainer() {
      return rungs.get(rungs.size() - 1);
    }
  }

  /**
   * Resolves the spec's {@code tuning} section, or returns null when it has none.
   *
   * @param base the trainer section's values as validated (with the seed)
   * @param metrics the metrics the evaluator reports
   * @param task a task the trainer is checked against
   */
  static TuningPlan resolve(PipelineSpec spec, Schema schema, TrainerFactory trainer, Map<String, Object> base, Task task,
      Set<String> metrics) {
    TuningSpec tuning = spec.tuning();
    if (tuning == null) {
      return null;
    }
    var doc = spec.document();
    String at = tuning.path();
    if (!metrics.contains(tuning.metric())) {
      throw new ConfigException(doc.at(at + ".metric") + ": " + at + ".metric: the evaluator reports no metric '" + tuning.metric()
          + "'; it reports " + new TreeSet<>(metrics));
    }
    if (tuning.groupBy() != null && schema.find(tuning.groupBy()).isEmpty()) {
      throw new ConfigException(doc.at(at + ".groupBy") + ": " + at + ".groupBy: '" + tuning.groupBy() + "' is not a column of the data; "
          + "columns: " + schema.names());
    }
    if (tuning.onValidationSplit() && !hasValidationSplit(spec)) {
      throw new ConfigException(doc.at(at + ".folds") + ": " + at + ".folds: split scores the trials on the validation split, and this "
          + "pipeline has none; give split.validationFraction (or a source named validation), or use folds: 3");
    }
    // Each setting alone at its ends first, so that a mistake is named by its own line.
    for (Dimension d : tuning.space().values()) {
      for (Object value : ends(d)) {
        String path = d.key().substring((at + ".space.").length());
        configure(trainer, Trials.apply(base, Map.of(path, value)), task, doc.at(d.key()) + ": " + d.key() + " (" + value + ")");
      }
    }
    SearchKeys keys = trainer.searchKeys();
    List<Rung> rungs = rungs(tuning, trainer, keys, base, doc.at(at + ".strategy") + ": " + at + ".strategy");
    boolean oneThread = oneThreadEach(tuning, base, keys);
    List<Trial> trials = new ArrayList<>();
    for (Map<String, Object> values : Trials.of(tuning, spec.seed())) {
      String where = doc.at(at + ".space") + ": trial " + (trials.size() + 1) + " (" + Trials.describe(values) + ")";
      List<PlannedStage> stages = new ArrayList<>();
      for (Rung rung : rungs) {
        Map<String, Object> set = new java.util.LinkedHashMap<>(values);
        if (rung.rounds() > 0) {
          set.put(keys.rounds(), rung.rounds());
        }
        if (oneThread) {
          set.put(keys.threads(), 1);
        }
        stages.add(new PlannedStage(spec.trainer().type(), configure(trainer, Trials.apply(base, set), task, where)));
      }
      trials.add(new Trial(values, stages));
    }
    return new TuningPlan(tuning, trials, rungs, base, keys);
  }

  /** One rung (every trial, the rounds as configured), or successive halving's up to the trainer's rounds. */
  private static List<Rung> rungs(TuningSpec tuning, TrainerFactory trainer, SearchKeys keys, Map<String, Object> base, String where) {
    if (!tuning.strategy().equals("halving")) {
      return List.of(new Rung(Math.max(1, tuning.trials()), 0));
    }
    String rounds = keys.rounds();
    if (rounds == null) {
      throw new ConfigException(where + ": halving raises the trainer's rounds rung by rung; this trainer has no such setting");
    }
    int maxRounds = trainer.configSpec().validate(where, base).getInt(rounds);
    List<Rung> rungs = new ArrayList<>();
    for (int[] r : Trials.rungs(tuning.trials(), maxRounds, tuning.reduction())) {
      rungs.add(new Rung(r[0], r[1]));
    }
    return rungs;
  }

  private static boolean hasValidationSplit(PipelineSpec spec) {
    return spec.split().validationFraction() > 0 || spec.sources().containsKey("validation");
  }

  /** The values a setting's checks try: every choice, or a range's two ends. */
  private static List<Object> ends(Dimension d) {
    return switch (d.kind()) {
      case "choice" -> d.values();
      case "intRange" -> List.of((int) d.low(), (int) d.high());
      default -> List.of(d.low(), d.high());
    };
  }

  /** Validates a trainer configuration and creates the trainer once, as the planner does the pipeline's own. */
  private static StageConfig configure(TrainerFactory trainer, Map<String, Object> values, Task task, String where) {
    try {
      StageConfig config = trainer.configSpec().validate(where, values);
      trainer.create(config, task);
      return config;
    } catch (ConfigException e) {
      throw e.getMessage().startsWith(where) ? e : new ConfigException(where + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ": " + e.getMessage(), e);
    }
  }
}
