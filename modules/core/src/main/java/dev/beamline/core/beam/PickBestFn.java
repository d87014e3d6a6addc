package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.core.plan.TuningPlan;
import dev.beamline.core.tune.FoldStats;
import dev.beamline.spi.config.ConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Gathers every trial's fold scores on one worker, ranks the trials by the mean of the search's metric over
 * their folds (ties: the earlier trial), writes {@code tuning/trials.json} (each trial's values, per-fold
 * metrics and rounds, and the mean and standard deviation of every metric) and outputs the best trial, with
 * the rounds to retrain it for when the search {@linkplain TuningPlan#refits() refits}: the mean over its folds
 * of the rounds each kept (early stopping on the fold's held-out rows), as one would after {@code xgboost.cv}.
 */
final class PickBestFn extends DoFn<KV<Integer, Iterable<FoldScore>>, Tune.Winner> {
  private static final long serialVersionUID = 1L;
  /** The search's summary in the staging directory. */
  static final String SUMMARY = TrialFn.DIRECTORY + "/trials.json";

  private final TuningPlan tuning;
  private final String staging;

  PickBestFn(TuningPlan tuning, String staging) {
    this.tuning = tuning;
    this.staging = staging;
  }

  @ProcessElement
  public void process(ProcessContext c) throws Exception {
    Map<Integer, TreeMap<Integer, List<FoldScore>>> byTrial = new TreeMap<>();
    for (FoldScore s : c.element().getValue()) {
      byTrial.computeIfAbsent(s.trial(), k -> new TreeMap<>()).computeIfAbsent(s.rung(), k -> new ArrayList<>()).add(s);
    }
    String metric = tuning.spec().metric();
    // With successive halving only the trials of the highest rung anyone finished compete: they trained longest.
    int top = -1;
    for (TreeMap<Integer, List<FoldScore>> rungs : byTrial.values()) {
      for (Map.Entry<Integer, List<FoldScore>> r : rungs.entrySet()) {
        if (r.getValue().stream().noneMatch(FoldScore::skipped)) {
          top = Math.max(top, r.getKey());
        }
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    int best = -1;
    double bestScore = Double.NaN;
    for (int t = 0; t < tuning.trials().size(); t++) {
      TreeMap<Integer, List<FoldScore>> rungs = byTrial.getOrDefault(t, new TreeMap<>());
      int reached = rungs.isEmpty() ? -1 : rungs.lastKey();
      List<FoldScore> scores = reached < 0 ? List.of() : rungs.get(reached);
      boolean done = !scores.isEmpty() && scores.stream().noneMatch(FoldScore::skipped);
      double score = FoldScore.mean(scores, metric);
      if (done && reached == top && !Double.isNaN(score)
          && (best < 0 || tuning.spec().better(score, bestScore))) {
        best = t;
        bestScore = score;
      }
      rows.add(row(t, rungs, done));
    }
    if (best < 0) {
      throw new ConfigException(tuning.spec().path() + ": no trial finished" + (tuning.spec().maxMinutes() > 0
          ? " within maxMinutes (" + tuning.spec().maxMinutes() + "); give the search more time" : " with a value of '" + metric + "'"));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("strategy", tuning.spec().strategy());
    out.put("metric", metric);
    out.put("direction", tuning.spec().maximize() ? "maximize" : "minimize");
    out.put("validation", tuning.spec().validation());
    if (tuning.rungs().size() > 1) {
      List<Map<String, Object>> rungs = new ArrayList<>();
      for (TuningPlan.Rung r : tuning.rungs()) {
        Map<String, Object> rung = new LinkedHashMap<>();
        rung.put("trials", r.trials());
        rung.put("rounds", r.rounds());
        rungs.add(rung);
      }
      out.put("rungs", rungs);
    }
    out.put("best", best + 1);
    int rounds = tuning.refits() ? rounds(byTrial.get(best).get(top)) : 0;
    if (rounds > 0) {
      out.put("refit", Map.of("rounds", rounds));
    }
    out.put("trials", rows);
    RunFiles.write(staging, SUMMARY, Json.pretty(out));
    c.output(new Tune.Winner(best, rounds));
  }

  /** The mean over the folds of the rounds each kept (its best round with early stopping, else every round it trained). */
  static int rounds(List<FoldScore> folds) {
    double sum = 0;
    for (FoldScore f : folds) {
      sum += f.bestIteration() >= 0 ? f.bestIteration() + 1 : f.iterations();
    }
    return (int) Math.max(1, Math.round(sum / folds.size()));
  }

  /**
   * A trial's row: its values, status, the highest rung it reached (from 1), and that rung's mean, standard
   * deviation and folds; with successive halving its earlier rungs too.
   */
  private Map<String, Object> row(int t, TreeMap<Integer, List<FoldScore>> rungs, boolean done) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("trial", t + 1);
    row.put("values", tuning.trials().get(t).values());
    row.put("status", done ? "done" : "skipped");
    List<Map<String, Object>> climbed = new ArrayList<>();
    for (Map.Entry<Integer, List<FoldScore>> r : rungs.entrySet()) {
      List<FoldScore> scores = new ArrayList<>(r.getValue());
      scores.sort(Comparator.comparingInt(FoldScore::fold));
      boolean finished = scores.stream().noneMatch(FoldScore::skipped);
      FoldStats stats = FoldStats.of(scores.stream().map(FoldScore::metrics).toList());
      Map<String, Object> rung = new LinkedHashMap<>();
      rung.put("rung", r.getKey() + 1);
      rung.put("mean", finished ? stats.mean() : Map.of());
      rung.put("std", finished ? stats.std() : Map.of());
      List<Map<String, Object>> folds = new ArrayList<>();
      for (FoldScore s : scores) {
        folds.add(s.toJson());
      }
      rung.put("folds", folds);
      climbed.add(rung);
    }
    Map<String, Object> last = climbed.isEmpty() ? Map.of("mean", Map.of(), "std", Map.of(), "folds", List.of()) : climbed.get(climbed.size() - 1);
    if (tuning.rungs().size() > 1) {
      row.put("rung", climbed.size());
    }
    row.put("mean", last.get("mean"));
    row.put("std", last.get("std"));
    row.put("folds", last.get("folds"));
    if (climbed.size() > 1) {
      row.put("rungs", climbed.subList(0, climbed.size() - 1));
    }
    return row;
  }
}
