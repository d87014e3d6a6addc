package dev.beamline.core.run;

import dev.beamline.core.beam.TrainingPipeline;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.core.spec.PipelineSpec;
import dev.beamline.core.spec.PipelineSpec.BlessingSpec;
import dev.beamline.scoring.Bundle;
import dev.beamline.spi.tracking.ModelNotFoundException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a run's model is blessed: it clears every absolute threshold of the pipeline's {@code blessing}
 * section on the test split, and is not worse than the current champion (the model under the champion alias,
 * scored by this run on the same test rows) by more than each {@code versusChampion} tolerance. The first
 * model, with no champion yet, is judged by the thresholds alone. Only a blessed model gets the champion
 * alias.
 *
 * @param blessed whether every check held
 * @param reasons each check's outcome, and what the judgment rests on, as sentences
 * @param checks each check: metric, kind ({@code threshold} or {@code champion}), value, bound, passed
 * @param champion the champion compared with: uri, version, run id and its test metrics; or why there was none
 * @param movesChampion whether the new version gets the champion alias: blessed, and compared with the champion
 *     unless there is none yet (with no tracking server at run time there is no comparison, so the alias waits)
 */
public record Blessing(boolean blessed, List<String> reasons, List<Map<String, Object>> checks, Map<String, Object> champion,
    boolean movesChampion) {

  /**
   * The champion a run compares with, looked up before the pipeline runs.
   *
   * @param uri the model URI looked up
   * @param bundle its model, or null when there is none to compare with
   * @param version the registry version (the directory the tracker fetched it into)
   * @param absent why there is none (null when there is one): no champion yet, or it could not be fetched
   * @param failed whether the lookup failed (a champion may exist): then the model cannot be blessed
   * @param unknown whether nobody could say if there is a champion (no tracking server): the alias then stays
   */
  record Champion(String uri, Bundle bundle, String version, String absent, boolean failed, boolean unknown) {
    /** The champion as the training pipeline scores it, or null. */
    TrainingPipeline.Champion scoring(PluginRegistry registry) {
      return bundle == null ? null : new TrainingPipeline.Champion(bundle, PredictService.trainer(registry, bundle));
    }
  }

  /**
   * Looks up the champion when the blessing compares with one: {@code models:/<registeredModel>@<championAlias>}
   * through the tracker. None when the pipeline has no comparison, no tracking target or no tracker.
   */
  static Champion champion(PipelineSpec spec, RunPlan plan, PluginRegistry registry, URI target, Path cache, PrintStream console) {
    BlessingSpec b = spec.blessing();
    if (b == null || b.versusChampion().isEmpty()) {
      return null;
    }
    String uri = "models:/" + spec.tracking().registeredModel() + "@" + b.championAlias();
    if (target == null || plan.tracker() == null) {
      return new Champion(uri, null, null, "no tracking server, so no champion to compare with", false, true);
    }
    try {
      Path dir = registry.tracker(plan.tracker().id(), "tracking.tracker.type").fetchModel(target, plan.tracker().config(), uri, cache);
      Bundle bundle = Bundle.read(dir, WorkerPlugins.steps());
      Champion c = new Champion(uri, bundle, dir.getFileName().toString(), null, false, false);
      console.printf("champion: %s (version %s) is scored on this run's test split%n", uri, c.version());
      return c;
    } catch (ModelNotFoundException e) {
      console.printf("champion: none yet (%s); the model is judged by the thresholds alone%n", uri);
      return new Champion(uri, null, null, "no champion yet (" + uri + " not found)", false, false);
    } catch (Exception e) {
      console.printf("champion: %s could not be fetched (%s); the model cannot be blessed%n", uri, e.getMessage());
      return new Champion(uri, null, null, "the champion could not be fetched: " + e.getMessage(), true, false);
    }
  }

  /**
   * Judges the run's test metrics.
   *
   * @param test the run's test metrics
   * @param champion the champion looked up (null when the blessing does not compare with one)
   * @param championTest the champion's metrics on the same test rows (empty when it was not scored)
   * @param dataFailed whether the data failed its schema (then nothing is blessed)
   */
  static Blessing judge(BlessingSpec spec, Map<String, Double> test, Champion champion, Map<String, Double> championTest, boolean dataFailed) {
    List<String> reasons = new ArrayList<>();
    List<Map<String, Object>> checks = new ArrayList<>();
    boolean blessed = true;
    for (Map.Entry<String, PipelineSpec.Bound> t : spec.thresholds().entrySet()) {
      String metric = t.getKey();
      double value = test.getOrDefault(metric, Double.NaN);
      if (t.getValue().min() != null) {
        blessed &= check(checks, reasons, metric, "threshold", value, t.getValue().min(), true, null,
            String.format(Locale.ROOT, "%s %s %s the threshold %s", metric, fmt(value), value >= t.getValue().min() ? "is at least" : "is below",
                fmt(t.getValue().min())));
      }
      if (t.getValue().max() != null) {
        blessed &= check(checks, reasons, metric, "threshold", value, t.getValue().max(), false, null,
            String.format(Locale.ROOT, "%s %s %s the threshold %s", metric, fmt(value), value <= t.getValue().max() ? "is at most" : "is above",
                fmt(t.getValue().max())));
      }
    }
    Map<String, Object> championJson = new LinkedHashMap<>();
    if (champion != null) {
      championJson.put("uri", champion.uri());
      if (champion.bundle() == null) {
        championJson.put("absent", champion.absent());
        reasons.add(champion.absent() + (champion.failed() ? ": not blessed" : champion.unknown()
            ? ": judged by the thresholds alone, and the champion alias does not move without a comparison" : ": judged by the thresholds alone"));
        blessed &= !champion.failed();
      } else {
        championJson.put("version", champion.version());
        championJson.put("runId", champion.bundle().mlmodel().get("run_id"));
        championJson.put("test", championTest);
        blessed &= versusChampion(spec, test, championTest, champion, checks, reasons);
        double ours = test.getOrDefault("rows", Double.NaN);
        double theirs = championTest.getOrDefault("rows", Double.NaN);
        if (ours != theirs) { // rows the champion could not score (a column it needs is missing, say) are not in its figures
          reasons.add(String.format(Locale.ROOT, "the champion scored %.0f of the %.0f test rows", theirs, ours));
        }
      }
    }
    if (dataFailed) {
      reasons.add("the data failed its schema: not blessed");
      blessed = false;
    }
    return new Blessing(blessed, reasons, checks, championJson.isEmpty() ? null : championJson,
        blessed && (champion == null || !champion.unknown()));
  }

  private static boolean versusChampion(BlessingSpec spec, Map<String, Double> test, Map<String, Double> championTest, Champion champion,
      List<Map<String, Object>> checks, List<String> reasons) {
    boolean all = true;
    for (Map.Entry<String, PipelineSpec.Change> c : spec.versusChampion().entrySet()) {
      String metric = c.getKey();
      double value = test.getOrDefault(metric, Double.NaN);
      double theirs = championTest.getOrDefault(metric, Double.NaN);
      boolean higher = c.getValue().higherIsBetter();
      double bound = higher ? theirs - c.getValue().tolerance() : theirs + c.getValue().tolerance();
      double worse = higher ? theirs - value : value - theirs;
      String text = String.format(Locale.ROOT, "%s %s against the champion's %s (version %s): %s by %s, %s the %s allowed", metric, fmt(value),
          fmt(theirs), champion.version(), worse > 0 ? "worse" : "not worse", fmt(Math.abs(worse)),
          worse <= c.getValue().tolerance() ? "within" : "more than", fmt(c.getValue().tolerance()));
      all &= check(checks, reasons, metric, "champion", value, bound, higher, theirs, text);
    }
    return all;
  }

  /** Records one check; a metric that is undefined fails it. */
  private static boolean check(List<Map<String, Object>> checks, List<String> reasons, String metric, String kind, double value, double bound,
      boolean atLeast, Double champion, String text) {
    boolean passed = Double.isFinite(value) && Double.isFinite(bound) && (atLeast ? value >= bound : value <= bound);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("metric", metric);
    c.put("kind", kind);
    c.put("value", Double.isFinite(value) ? value : null);
    c.put(atLeast ? "min" : "max", Double.isFinite(bound) ? bound : null);
    if (champion != null) {
      c.put("champion", Double.isFinite(champion) ? champion : null);
    }
    c.put("passed", passed);
    checks.add(c);
    reasons.add(Double.isFinite(value) && Double.isFinite(bound) ? text + (passed ? "" : ": not blessed")
        : metric + " is undefined on the test split" + (champion != null && !Double.isFinite(champion) ? " of the champion" : "") + ": not blessed");
    return passed;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  /** The blessing as {@code metrics.json} keeps it. */
  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("blessed", blessed);
    m.put("movesChampion", movesChampion);
    m.put("reasons", reasons);
    m.put("checks", checks);
    if (champion != null) {
      m.put("champion", champion);
    }
    return m;
  }

  /** The run's tags: {@code beamline.blessed} and {@code beamline.blessing} (the reasons). */
  Map<String, String> tags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("beamline.blessed", Boolean.toString(blessed));
    tags.put("beamline.blessing", String.join("; ", reasons));
    return tags;
  }
}
