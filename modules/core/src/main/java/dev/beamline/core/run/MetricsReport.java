package dev.beamline.core.run;

import dev.beamline.core.beam.MetricsFile;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's metrics as the console shows them: each split's, the test intervals, then the slices' leading metrics. */
final class MetricsReport {
  /** How many of the evaluator's metrics the slice tables show (metrics.json has all). */
  private static final int SLICE_METRICS = 3;

  private MetricsReport() {}

  /** Prints a {@link MetricsFile}'s contents. */
  @SuppressWarnings("unchecked")
  static void print(Map<String, Object> file, PrintStream console) {
    Map<String, Map<String, Double>> splits = new LinkedHashMap<>();
    for (String split : List.of("train", "validation", "test")) {
      splits.put(split, MetricsFile.numbers((Map<String, Object>) file.getOrDefault(split, Map.of())));
    }
    Map<String, Object> intervals = (Map<String, Object>) file.get("intervals");
    Map<String, Object> test = intervals == null ? Map.of() : (Map<String, Object>) intervals.get("test");
    List<String> names = new ArrayList<>();
    splits.values().forEach(m -> m.keySet().forEach(k -> {
      if (!names.contains(k)) {
        names.add(k);
      }
    }));
    console.printf("%n%-10s", "metric");
    splits.keySet().forEach(s -> console.printf(" %12s", s));
    if (intervals != null) {
      console.printf(Locale.ROOT, "  %s", Math.round(((Number) intervals.get("confidence")).doubleValue() * 100) + "% interval (test, "
          + intervals.get("samples") + " bootstrap samples)");
    }
    console.println();
    for (String name : names) {
      console.printf("%-10s", name);
      for (Map<String, Double> m : splits.values()) {
        console.printf(Locale.ROOT, " %12s", format(name, m.get(name)));
      }
      if (test.get(name) instanceof Map<?, ?> ci) {
        console.printf(Locale.ROOT, "  [%.6f, %.6f]", ((Number) ci.get("low")).doubleValue(), ((Number) ci.get("high")).doubleValue());
      }
      console.println();
    }
    console.println();
    if (file.get("slices") instanceof Map<?, ?> slices && !slices.isEmpty()) {
      printSlices((Map<String, Map<String, Map<String, Object>>>) slices, console);
    }
  }

  /** Per slicing: each slice's rows and the evaluator's leading metrics. */
  private static void printSlices(Map<String, Map<String, Map<String, Object>>> slices, PrintStream console) {
    console.printf("test split by slice (every metric in metrics.json):%n");
    slices.forEach((slicing, values) -> {
      List<String> metrics = new ArrayList<>();
      values.values().stream().findFirst().ifPresent(m -> m.keySet().stream().filter(k -> !k.equals("rows")).limit(SLICE_METRICS)
          .forEach(metrics::add));
      int width = Math.max(slicing.length(), values.keySet().stream().mapToInt(String::length).max().orElse(0));
      console.printf("  %-" + width + "s %10s", slicing, "rows");
      metrics.forEach(m -> console.printf(" %10s", m));
      console.println();
      values.forEach((label, m) -> {
        console.printf(Locale.ROOT, "  %-" + width + "s %10s", label, format("rows", number(m.get("rows"))));
        metrics.forEach(k -> console.printf(Locale.ROOT, " %10s", format(k, number(m.get(k))).replaceAll("(\\.\\d{4})\\d+", "$1")));
        console.println();
      });
      console.println();
    });
  }

  private static Double number(Object v) {
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static String format(String name, Double v) {
    return v == null || v.isNaN() ? "-" : name.equals("rows") ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.6f", v);
  }
}
