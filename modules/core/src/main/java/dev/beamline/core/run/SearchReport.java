package dev.beamline.core.run;

import dev.beamline.core.json.Json;
import dev.beamline.core.plan.TuningPlan;
import dev.beamline.core.spec.TuningSpec;
import dev.beamline.core.tune.FoldStats;
import dev.beamline.core.tune.Trials;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a run says of its search: a line per trial as it finishes (from the reports the trial tasks write
 * into the staging directory, so it works on every runner whose workers write there), the table of the best
 * trials at the end, and the search's section of {@code run.json}.
 */
final class SearchReport implements PipelineExecution.Progress {
  /** The search's summary, written by the tune stage. */
  static final String SUMMARY = "tuning/trials.json";
  private static final Pattern REPORT = Pattern.compile("trial-(\\d+)-rung-(\\d+)-fold-(\\d+)\\.json");

  /**
   * Told of each trial (with successive halving: of each rung of a trial) when every fold of it has reported:
   * the trial's number (from 1), the rung (from 0) and the folds' reports, in fold order.
   */
  interface Listener {
    void finished(int trial, int rung, List<Map<String, Object>> folds) throws IOException;
  }

  /** A trial on a rung. */
  private record Key(int trial, int rung) {}

  private final TuningPlan tuning;
  private final Listener listener;
  private final Path directory;
  private final int folds;
  private final Map<Key, Map<Integer, Map<String, Object>>> seen = new HashMap<>();
  private final Set<Key> printed = new HashSet<>();
  /** Per rung: the best mean so far and its trial. */
  private final Map<Integer, double[]> best = new HashMap<>();

  SearchReport(TuningPlan tuning, Path staging, Listener listener) {
    this.tuning = tuning;
    this.listener = listener;
    this.directory = staging.resolve("tuning");
    this.folds = tuning.spec().onValidationSplit() ? 1 : tuning.spec().folds();
  }

  /** Prints a line for each trial whose every fold has reported since the last call. */
  @Override
  public void poll(PrintStream console) {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> files = Files.list(directory)) {
      for (Path f : files.toList()) {
        Matcher m = REPORT.matcher(f.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        Key key = new Key(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        int fold = Integer.parseInt(m.group(3));
        if (printed.contains(key) || seen.getOrDefault(key, Map.of()).containsKey(fold)) {
          continue;
        }
        try {
          seen.computeIfAbsent(key, k -> new HashMap<>()).put(fold, Json.parseObject(Files.readString(f)));
        } catch (RuntimeException partlyWritten) {
          // read again on the next poll
        }
      }
    } catch (IOException e) {
      return;
    }
    seen.keySet().stream().sorted(java.util.Comparator.comparingInt(Key::rung).thenComparingInt(Key::trial))
        .filter(k -> !printed.contains(k) && seen.get(k).size() == folds).toList()
        .forEach(k -> printTrial(k, console));
  }

  private void printTrial(Key key, PrintStream console) {
    printed.add(key);
    int trial = key.trial();
    List<Map<String, Object>> folds = new ArrayList<>(new TreeMap<>(seen.remove(key)).values());
    try {
      listener.finished(trial, key.rung(), folds);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String values = Trials.describe(tuning.trials().get(trial - 1).values());
    String n = trial + "/" + tuning.trials().size();
    int rungs = tuning.rungs().size();
    String rung = rungs == 1 ? "" : String.format(" rung %d/%d (%d rounds)", key.rung() + 1, rungs, tuning.rungs().get(key.rung()).rounds());
    if (folds.stream().anyMatch(f -> Boolean.TRUE.equals(f.get("skipped")))) {
      console.printf("  trial %-7s%s %s  skipped: the search's time (maxMinutes) is spent%n", n, rung, values);
      return;
    }
    String metric = tuning.spec().metric();
    FoldStats stats = FoldStats.of(folds.stream().map(SearchReport::metrics).toList());
    double mean = stats.mean().getOrDefault(metric, Double.NaN);
    double[] b = best.computeIfAbsent(key.rung(), r -> new double[] {Double.NaN, 0});
    if (tuning.spec().better(mean, b[0]) || (mean == b[0] && trial < b[1])) {
      b[0] = mean;
      b[1] = trial;
    }
    console.printf(Locale.ROOT, "  trial %-7s%s %s  %s %.5f ± %.5f  (best so far%s: trial %d, %.5f)%n", n, rung, values, metric, mean,
        stats.std().getOrDefault(metric, Double.NaN), rungs == 1 ? "" : " on this rung", (int) b[1], b[0]);
  }

  /** A fold report's metrics. */
  @SuppressWarnings("unchecked")
  static Map<String, Double> metrics(Map<String, Object> fold) {
    Map<String, Double> out = new TreeMap<>();
    ((Map<String, Object>) fold.getOrDefault("metrics", Map.of())).forEach((k, v) -> out.put(k, v instanceof Number x ? x.doubleValue()
        : Double.NaN));
    return out;
  }

  /** Removes the trial tasks' reports, once the summary holds what they said. */
  static void removeTaskReports(Path staging) throws IOException {
    Path dir = staging.resolve("tuning");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (REPORT.matcher(f.getFileName().toString()).matches()) {
          Files.delete(f);
        }
      }
    }
  }

  /** The summary the tune stage wrote. */
  static Map<String, Object> read(Path staging) throws IOException {
    return Json.parseObject(Files.readString(staging.resolve(SUMMARY)));
  }

  /** The best trials (up to {@code top}) as a table: rank, trial, the metric's mean and std, the values. */
  @SuppressWarnings("unchecked")
  static void printTop(Map<String, Object> summary, TuningSpec spec, int top, PrintStream console) {
    String metric = spec.metric();
    boolean maximize = spec.maximize();
    List<Map<String, Object>> done = new ArrayList<>();
    for (Map<String, Object> t : (List<Map<String, Object>>) summary.get("trials")) {
      if ("done".equals(t.get("status")) && ((Map<String, Object>) t.get("mean")).get(metric) instanceof Number) {
        done.add(t);
      }
    }
    Comparator<Map<String, Object>> byRung = Comparator.comparingInt(t -> -((Number) t.getOrDefault("rung", 1)).intValue());
    done.sort(byRung.thenComparing(t -> mean(t, metric), spec.ranking()).thenComparingInt(t -> ((Number) t.get("trial")).intValue()));
    int total = ((List<?>) summary.get("trials")).size();
    console.printf("search: %s, %d trials (%d done), %s, by %s (%s); the model is trial %s's, retrained on %s%n",
        summary.get("strategy"), total, done.size(), summary.get("validation"), metric, maximize ? "higher is better" : "lower is better",
        summary.get("best"), refitRounds(summary) > 0 ? "every training row (the validation split's too) for " + refitRounds(summary)
            + " rounds, its folds' mean" : "the whole training split");
    boolean halving = summary.containsKey("rungs");
    console.printf("  %4s %6s%s %10s %9s  %s%n", "rank", "trial", halving ? "  rung" : "", metric, "std", "values");
    for (int i = 0; i < Math.min(top, done.size()); i++) {
      Map<String, Object> t = done.get(i);
      console.printf(Locale.ROOT, "  %4d %6s%s %10.5f %9.5f  %s%n", i + 1, t.get("trial"), halving ? String.format("%6s", t.get("rung")) : "",
          mean(t, metric),
          ((Number) ((Map<String, Object>) t.get("std")).get(metric)).doubleValue(), Trials.describe((Map<String, Object>) t.get("values")));
    }
  }

  /** The rounds the winner is retrained for on every training row, or 0 when it is trained as configured. */
  @SuppressWarnings("unchecked")
  private static int refitRounds(Map<String, Object> summary) {
    return summary.get("refit") instanceof Map<?, ?> refit ? ((Number) refit.get("rounds")).intValue() : 0;
  }

  @SuppressWarnings("unchecked")
  private static double mean(Map<String, Object> trial, String metric) {
    return ((Number) ((Map<String, Object>) trial.get("mean")).get(metric)).doubleValue();
  }

  /** The search in {@code run.json}: how it searched, how many trials ran, and the best one. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> runJson(Map<String, Object> summary) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : List.of("strategy", "metric", "direction", "validation")) {
      out.put(k, summary.get(k));
    }
    List<Map<String, Object>> trials = (List<Map<String, Object>>) summary.get("trials");
    out.put("trials", trials.size());
    out.put("done", trials.stream().filter(t -> "done".equals(t.get("status"))).count());
    int best = ((Number) summary.get("best")).intValue();
    Map<String, Object> winner = trials.get(best - 1);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("trial", best);
    b.put("values", winner.get("values"));
    b.put("mean", winner.get("mean"));
    b.put("std", winner.get("std"));
    out.put("best", b);
    if (refitRounds(summary) > 0) {
      out.put("refit", summary.get("refit"));
    }
    out.put("file", SUMMARY);
    return out;
  }
}
