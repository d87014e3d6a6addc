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
 * metrics and rounds, and the mean and standard deviation of every metric) and outputs the best trial's index.
 */
final class PickBestFn extends DoFn<KV<Integer, Iterable<FoldScore>>, Integer> {
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
    Map<Integer, List<FoldScore>> byTrial = new TreeMap<>();
    for (FoldScore s : c.element().getValue()) {
      byTrial.computeIfAbsent(s.trial(), k -> new ArrayList<>()).add(s);
    }
    String metric = tuning.spec().metric();
    List<Map<String, Object>> rows = new ArrayList<>();
    int best = -1;
    double bestScore = Double.NaN;
    for (int t = 0; t < tuning.trials().size(); t++) {
      List<FoldScore> scores = byTrial.getOrDefault(t, List.of());
      scores.sort(Comparator.comparingInt(FoldScore::fold));
      boolean done = !scores.isEmpty() && scores.stream().noneMatch(FoldScore::skipped);
      FoldStats stats = FoldStats.of(scores.stream().map(FoldScore::metrics).toList());
      Map<String, Double> mean = done ? stats.mean() : Map.of();
      Map<String, Double> std = done ? stats.std() : Map.of();
      if (done) {
        double score = mean.getOrDefault(metric, Double.NaN);
        if (!Double.isNaN(score) && (best < 0 || (tuning.spec().maximize() ? score > bestScore : score < bestScore))) {
          best = t;
          bestScore = score;
        }
      }
      rows.add(row(t, scores, done, mean, std));
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
    out.put("best", best + 1);
    out.put("trials", rows);
    RunFiles.write(staging, SUMMARY, Json.pretty(out));
    c.output(best);
  }

  private Map<String, Object> row(int t, List<FoldScore> scores, boolean done, Map<String, Double> mean, Map<String, Double> std) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("trial", t + 1);
    row.put("values", tuning.trials().get(t).values());
    row.put("status", done ? "done" : "skipped");
    row.put("mean", mean);
    row.put("std", std);
    List<Map<String, Object>> folds = new ArrayList<>();
    for (FoldScore s : scores) {
      folds.add(s.toJson());
    }
    row.put("folds", folds);
    return row;
  }
}
