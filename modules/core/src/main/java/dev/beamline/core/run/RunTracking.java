package dev.beamline.core.run;

import dev.beamline.core.beam.Split;
import dev.beamline.core.json.Json;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.spec.PipelineSpec.TrackingSpec;
import dev.beamline.core.tracking.LiveTracking;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.tracking.TrackerFactory;
import dev.beamline.spi.tracking.TrackingEvent;
import dev.beamline.spi.tracking.TrackingEvent.DatasetInput;
import dev.beamline.spi.tracking.TrackingEvent.MetricPoint;
import dev.beamline.core.plan.TuningPlan;
import dev.beamline.core.tune.FoldStats;
import dev.beamline.spi.tracking.TrackingSink;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Turns a run into tracking events: the run's tags, flattened parameters, metrics, inputs, files and model. */
final class RunTracking {
  static final int MAX_PARAMS_PER_EVENT = 100;
  static final int MAX_METRICS_PER_EVENT = 1000;
  static final int MAX_PARAM_VALUE = 6000;
  static final int MAX_KEY = 250;

  private RunTracking() {}

  /** Where to track: the command line's URI, else {@code MLFLOW_TRACKING_URI}, else nowhere (journal only). */
  static URI target(URI requested, Map<String, String> env) {
    if (requested != null) {
      return requested;
    }
    String fromEnv = env.get("MLFLOW_TRACKING_URI");
    if (fromEnv == null || fromEnv.isBlank()) {
      return null;
    }
    try {
      return new URI(fromEnv.trim());
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("MLFLOW_TRACKING_URI: not a URI (" + e.getReason() + ")", e);
    }
  }

  /** Opens the journal of a run, delivering to {@code target} when there is one. */
  static LiveTracking start(RunPlan plan, PluginRegistry registry, URI target, Path staging) throws IOException {
    String tracker = plan.spec().tracking().tracker().type();
    Map<String, Object> config = plan.tracker() == null ? plan.spec().tracking().tracker().config()
        : plan.tracker().config().displayValues();
    config = new LinkedHashMap<>(config);
    config.values().removeIf(SecretMasks.MASK::equals);
    TrackingSink sink = null;
    if (target != null) {
      if (plan.tracker() == null) {
        throw new ConfigException("tracking to " + target + " needs the '" + tracker + "' tracker, which is not installed");
      }
      TrackerFactory factory = registry.tracker(plan.tracker().id(), "tracking.tracker.type");
      sink = factory.open(target, plan.tracker().config());
    }
    return LiveTracking.start(staging, tracker, config, target, sink);
  }

  static TrackingEvent.RunStarted runStarted(RunPlan plan, Path specFile, String runUid, String runner, Instant started) {
    TrackingSpec t = plan.spec().tracking();
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("beamline.pipeline", plan.spec().name());
    tags.put("beamline.version", Versions.beamline());
    tags.put("beamline.runner", runner);
    tags.put("beamline.run_uid", runUid);
    tags.put("mlflow.user", System.getProperty("user.name", "unknown"));
    tags.put("mlflow.source.type", "LOCAL");
    tags.put("mlflow.source.name", specFile.toAbsolutePath().normalize().toString());
    String commit = gitCommit(specFile.toAbsolutePath().getParent());
    if (commit != null) {
      tags.put("mlflow.source.git.commit", commit);
    }
    tags.putAll(t.tags());
    String runName = t.runName() != null ? t.runName() : plan.spec().name() + "-" + runUid.substring(0, 6);
    return new TrackingEvent.RunStarted(runUid, t.experiment(), runName, tags, started.toEpochMilli());
  }

  /** The resolved spec, secrets removed, flattened to {@code a.b.c} keys, in events of at most 100. */
  static List<TrackingEvent.ParamsLogged> params(Map<String, Object> maskedSpec) {
    Map<String, String> flat = new TreeMap<>();
    flatten("", maskedSpec, flat);
    flat.values().removeIf(v -> v.equals(SecretMasks.MASK));
    List<TrackingEvent.ParamsLogged> out = new ArrayList<>();
    Map<String, String> chunk = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : flat.entrySet()) {
      chunk.put(e.getKey(), e.getValue());
      if (chunk.size() == MAX_PARAMS_PER_EVENT) {
        out.add(new TrackingEvent.ParamsLogged(chunk));
        chunk = new LinkedHashMap<>();
      }
    }
    if (!chunk.isEmpty()) {
      out.add(new TrackingEvent.ParamsLogged(chunk));
    }
    return out;
  }

  /** What MLflow accepts in a parameter's name: letters, digits, underscores, dashes, periods, spaces, slashes. */
  private static final java.util.regex.Pattern PARAM_NAME = java.util.regex.Pattern.compile("[\\w\\-. /]+");

  private static void flatten(String prefix, Object value, Map<String, String> out) {
    if (value instanceof Map<?, ?> m && !prefix.isEmpty() && m.keySet().stream().anyMatch(k -> !PARAM_NAME.matcher(String.valueOf(k)).matches())) {
      // A map keyed by data (replace: {income: {"<=50K.": "<=50K"}}) is one parameter: its keys cannot be names.
      String text = Json.compact(value);
      out.put(prefix.length() > MAX_KEY ? prefix.substring(0, MAX_KEY) : prefix,
          text.length() > MAX_PARAM_VALUE ? text.substring(0, MAX_PARAM_VALUE - 3) + "..." : text);
    } else if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, v, out));
    } else if (value instanceof List<?> l && l.stream().anyMatch(v -> v instanceof Map || v instanceof List)) {
      for (int i = 0; i < l.size(); i++) {
        flatten(prefix + "." + i, l.get(i), out);
      }
    } else if (value != null) {
      String text = value instanceof List ? Json.compact(value) : String.valueOf(value);
      String key = prefix.length() > MAX_KEY ? prefix.substring(0, MAX_KEY) : prefix;
      out.put(key, text.length() > MAX_PARAM_VALUE ? text.substring(0, MAX_PARAM_VALUE - 3) + "..." : text);
    }
  }

  /**
   * Final metrics ({@code test_auc} ...), the test intervals ({@code test_auc_ci_low}, {@code test_auc_ci_high}),
   * the slices' ({@code slice/sex/Female/test_auc}), and the per-round history ({@code train-logloss} by step),
   * in events of at most 1000; {@code metrics} is the run's {@code metrics.json}.
   */
  @SuppressWarnings("unchecked")
  static List<TrackingEvent.MetricsLogged> metrics(Map<String, Object> metrics, Path historyFile, Instant at) throws IOException {
    long ts = at.toEpochMilli();
    List<MetricPoint> points = new ArrayList<>();
    for (Split split : Split.values()) {
      if (metrics.get(split.label()) instanceof Map<?, ?> values) {
        addPoints(points, split.label() + "_", (Map<String, Object>) values, ts);
      }
    }
    if (metrics.get("intervals") instanceof Map<?, ?> intervals && intervals.get("test") instanceof Map<?, ?> test) {
      ((Map<String, Map<String, Object>>) test).forEach((metric, ci) -> {
        addPoint(points, "test_" + metric + "_ci_low", ci.get("low"), ts);
        addPoint(points, "test_" + metric + "_ci_high", ci.get("high"), ts);
      });
    }
    if (metrics.get("slices") instanceof Map<?, ?> slices) {
      ((Map<String, Map<String, Map<String, Object>>>) slices).forEach((slicing, values) -> values.forEach((label, m) ->
          addPoints(points, "slice/" + metricNamePart(slicing) + "/" + metricNamePart(label) + "/test_", m, ts)));
    }
    if (Files.exists(historyFile)) {
      Map<String, Object> history = Json.parseObject(Files.readString(historyFile));
      if (history.get("bestIteration") instanceof Number n) {
        points.add(new MetricPoint("best_iteration", n.doubleValue(), 0, ts));
      }
      addCurves(points, "", history, ts);
    }
    List<TrackingEvent.MetricsLogged> out = new ArrayList<>();
    for (int i = 0; i < points.size(); i += MAX_METRICS_PER_EVENT) {
      out.add(new TrackingEvent.MetricsLogged(points.subList(i, Math.min(points.size(), i + MAX_METRICS_PER_EVENT))));
    }
    return out;
  }

  /**
   * One trial of a search as a run nested under the run: the trial's values as params (named as the run's own,
   * {@code trainer.params.eta}), each fold's metrics ({@code fold0_auc}), their mean and standard deviation
   * ({@code mean_auc}, {@code std_auc}), each fold's rounds ({@code fold0_best_iteration}) and per-round curves
   * ({@code fold0/validation-auc} by round). A trial the time budget skipped ends KILLED. With successive
   * halving the event comes once per rung the trial reaches, the same run each time: the summary metrics'
   * step is the rung, and the curves are under {@code rung1/} and so on.
   *
   * @param rung the rung (from 0)
   * @param folds the trial's fold reports on that rung, in fold order
   */
  @SuppressWarnings("unchecked")
  static TrackingEvent.ChildRun trial(RunPlan plan, String runUid, int trial, int rung, List<Map<String, Object>> folds,
      long startMillis, long endMillis) {
    boolean halving = plan.tuning().rungs().size() > 1;
    String curves = halving ? "rung" + (rung + 1) + "/" : "";
    TuningPlan.Trial t = plan.tuning().trials().get(trial - 1);
    String uid = runUid + "-trial-" + trial;
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("beamline.run_uid", uid);
    tags.put("beamline.pipeline", plan.spec().name());
    tags.put("beamline.trial", String.valueOf(trial));
    Map<String, String> params = new LinkedHashMap<>();
    params.put("trial", String.valueOf(trial));
    t.values().forEach((k, v) -> params.put("trainer." + k, String.valueOf(v)));
    boolean skipped = folds.stream().anyMatch(f -> Boolean.TRUE.equals(f.get("skipped")));
    List<MetricPoint> points = new ArrayList<>();
    if (!skipped) {
      FoldStats stats = FoldStats.of(folds.stream().map(SearchReport::metrics).toList());
      if (halving) {
        addPoint(points, "rounds", plan.tuning().rungs().get(rung).rounds(), rung, endMillis);
      }
      stats.mean().forEach((m, v) -> addPoint(points, "mean_" + m, v, rung, endMillis));
      stats.std().forEach((m, v) -> addPoint(points, "std_" + m, v, rung, endMillis));
      for (Map<String, Object> f : folds) {
        String fold = "fold" + f.get("fold");
        SearchReport.metrics(f).forEach((m, v) -> addPoint(points, fold + "_" + m, v, rung, endMillis));
        addPoint(points, fold + "_best_iteration", f.get("bestIteration"), rung, endMillis);
        addCurves(points, curves + fold + "/", (Map<String, Object>) f.getOrDefault("history", Map.of()), endMillis);
      }
    } else {
      tags.put("beamline.skipped", "the search's time (tuning.maxMinutes) was spent before this trial started");
    }
    return new TrackingEvent.ChildRun(uid, plan.spec().name() + "-trial-" + trial, tags, params, points, startMillis, endMillis,
        skipped ? "KILLED" : "FINISHED");
  }

  /**
   * The search's outcome on the run itself: the best trial's number and its metrics' means and deviations
   * ({@code tuning_best_mean_auc}), its values as params ({@code tuning.best.trainer.params.eta}: the run's
   * {@code trainer.*} params are the pipeline file's), the rounds it was retrained for ({@code tuning.refit.rounds})
   * when the search refits, and the tag {@code beamline.tuning.best_trial}.
   */
  @SuppressWarnings("unchecked")
  static List<TrackingEvent> searchResult(Map<String, Object> summary, long at) {
    int best = ((Number) summary.get("best")).intValue();
    Map<String, Object> trial = ((List<Map<String, Object>>) summary.get("trials")).get(best - 1);
    List<MetricPoint> points = new ArrayList<>();
    addPoint(points, "tuning_best_trial", best, at);
    addPoints(points, "tuning_best_mean_", (Map<String, Object>) trial.get("mean"), at);
    addPoints(points, "tuning_best_std_", (Map<String, Object>) trial.get("std"), at);
    Map<String, String> params = new TreeMap<>();
    ((Map<String, Object>) trial.get("values")).forEach((k, v) -> params.put("tuning.best.trainer." + k, String.valueOf(v)));
    if (summary.get("refit") instanceof Map<?, ?> refit) {
      params.put("tuning.refit.rounds", String.valueOf(refit.get("rounds")));
    }
    List<TrackingEvent> out = new ArrayList<>(List.of(new TrackingEvent.MetricsLogged(points),
        new TrackingEvent.TagsSet(Map.of("beamline.tuning.best_trial", String.valueOf(best)))));
    if (!params.isEmpty()) {
      out.add(new TrackingEvent.ParamsLogged(params));
    }
    return out;
  }

  /** A training history's per-round curves ({@code history.json}'s form) as {@code PREFIX + split-metric} by round. */
  @SuppressWarnings("unchecked")
  private static void addCurves(List<MetricPoint> points, String prefix, Map<String, Object> history, long ts) {
    for (Object row : (List<Object>) history.getOrDefault("iterations", List.of())) {
      Map<String, Object> r = (Map<String, Object>) row;
      long step = ((Number) r.get("iteration")).longValue();
      r.forEach((split, values) -> {
        if (values instanceof Map<?, ?> m) {
          m.forEach((metric, v) -> {
            if (v instanceof Number x && Double.isFinite(x.doubleValue())) {
              points.add(new MetricPoint(prefix + split + "-" + metric, x.doubleValue(), step, ts));
            }
          });
        }
      });
    }
  }

  private static void addPoints(List<MetricPoint> points, String prefix, Map<String, Object> values, long ts) {
    values.forEach((k, v) -> addPoint(points, prefix + k, v, ts));
  }

  private static void addPoint(List<MetricPoint> points, String key, Object value, long ts) {
    addPoint(points, key, value, 0, ts);
  }

  private static void addPoint(List<MetricPoint> points, String key, Object value, long step, long ts) {
    if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
      points.add(new MetricPoint(key, n.doubleValue(), step, ts));
    }
  }

  /**
   * A slicing or slice as part of an MLflow metric name, which allows letters, digits and {@code _-. :} only:
   * {@code [28, 37)} becomes {@code 28 to 37}, {@code < 28} {@code lt 28}, {@code >= 48} {@code ge 48}, {@code &} {@code x},
   * anything else {@code _}.
   */
  static String metricNamePart(String text) {
    String t = text.replaceAll("\\[([^,\\]]*), ([^)]*)\\)", "$1 to $2").replace(">=", "ge").replace("<", "lt").replace("&", "x");
    return t.replaceAll("[^A-Za-z0-9_\\-. :]", "_");
  }

  /**
   * The inputs as datasets: digest = the first 32 hex digits of the sha256 (the server keeps 36 at most), or of an input
   * that is not a file the digest of its rows; named by the source and the file's name (or the location's last part).
   */
  static TrackingEvent.InputsLogged inputs(List<Map<String, Object>> inputs, Schema columns) {
    List<Map<String, Object>> colspec = new ArrayList<>();
    for (Column c : columns.columns()) {
      colspec.add(Map.of("name", c.name(), "type", c.type().name().equals("CATEGORICAL") ? "string" : "double", "required", false));
    }
    String schema = Json.compact(Map.of("mlflow_colspec", colspec));
    List<DatasetInput> out = new ArrayList<>();
    for (Map<String, Object> in : inputs) {
      String location = String.valueOf(in.get("path"));
      boolean file = in.containsKey("sha256");
      Map<String, Object> profile = new LinkedHashMap<>();
      if (file) {
        profile.put("sha256", in.get("sha256"));
        profile.put("bytes", in.get("bytes"));
      } else {
        profile.put("rows_digest", in.get("rowsDigest"));
      }
      profile.put("rows", in.get("rowsRead"));
      profile.put("rows_rejected_by_reader", in.get("rowsRejectedByReader"));
      String digest = String.valueOf(file ? in.get("sha256") : in.get("rowsDigest"));
      String name = file ? String.valueOf(Path.of(location).getFileName()) : location.substring(location.lastIndexOf('/') + 1);
      out.add(new DatasetInput(in.get("source") + ":" + name, digest.substring(0, Math.min(32, digest.length())),
          file ? Path.of(location).toUri().toString() : location, String.valueOf(in.get("source")), schema, Json.compact(profile)));
    }
    return new TrackingEvent.InputsLogged(out);
  }

  /**
   * Every file of the run directory but the journal and the dead-letter rows, relative, sorted. Their folders are not
   * entered at all: the tracking thread rewrites its sync state in {@code tracking/} while this runs, and a walk that
   * lists a file it then renames fails.
   */
  static TrackingEvent.ArtifactsLogged artifacts(Path runDirectory) throws IOException {
    List<String> rel = new ArrayList<>();
    Files.walkFileTree(runDirectory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        String name = runDirectory.relativize(dir).toString();
        return name.equals("tracking") || name.equals("rejected") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          rel.add(runDirectory.relativize(file).toString().replace('\\', '/'));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    rel.sort(null);
    return new TrackingEvent.ArtifactsLogged(rel);
  }

  /**
   * Registration of the run's model, tagged with its test metrics (and its blessing): {@code tracking.alias}
   * points at it, and the champion alias too when it was blessed.
   */
  static TrackingEvent.ModelRegistered register(TrackingSpec t, Map<String, Map<String, Double>> splitMetrics, String runUid,
      Blessing blessing, String championAlias) {
    Map<String, String> tags = new LinkedHashMap<>();
    splitMetrics.getOrDefault("test", Map.of()).forEach((k, v) -> {
      if (v != null && Double.isFinite(v)) {
        tags.put("test_" + k, String.format(Locale.ROOT, "%.6f", v));
      }
    });
    tags.put("beamline.run_uid", runUid);
    List<String> aliases = new ArrayList<>(List.of(t.alias()));
    if (blessing != null) {
      tags.putAll(blessing.tags());
      if (blessing.movesChampion()) {
        aliases.add(championAlias);
      }
    }
    return new TrackingEvent.ModelRegistered(t.registeredModel(), "model", aliases, tags);
  }

  /** The commit of the git work tree holding {@code dir}, or {@code null}. */
  static String gitCommit(Path dir) {
    if (dir == null) {
      return null;
    }
    try {
      Process p = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "HEAD").redirectErrorStream(false).start();
      p.getOutputStream().close();
      p.getErrorStream().close();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

}
