package dev.beamline.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * A training run's report, drawn from the files of its run directory: pictures under {@code report/} (PNG,
 * which MLflow's artifact view shows) and one self-contained {@code report.html} with the pictures inside it
 * (it opens from the file system, or as an MLflow artifact, with nothing else), the metrics, the blessing,
 * the anomalies and the statistics.
 */
public final class RunReport {
  /** The pictures' directory in the run directory. */
  public static final String DIRECTORY = "report";
  /** The page. */
  public static final String PAGE = "report.html";
  /** At most this many rows are drawn in a scatter plot (every k-th test row). */
  static final int SCATTER_ROWS = 5000;
  /** At most this many features in the importance chart, and values per categorical histogram. */
  static final int TOP = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path run;
  private final JsonNode record;
  private final JsonNode metrics;
  /** The pictures to draw, in page order: drawn in parallel once all are known. */
  private final List<Drawing> drawings = new ArrayList<>();

  /** A picture to draw: {@code chart} makes its chart (and computes what it shows). */
  private record Drawing(String file, String section, String caption, ChartMaker chart) {}

  /** Makes a chart. */
  @FunctionalInterface
  private interface ChartMaker {
    Chart<?, ?> make() throws IOException;
  }

  /** A picture: its file under {@link #DIRECTORY}, its section, caption and PNG bytes. */
  record Picture(String file, String section, String caption, byte[] png) {}

  private RunReport(Path run) throws IOException {
    this.run = run;
    this.record = read("run.json");
    this.metrics = read("metrics.json");
  }

  private JsonNode read(String file) throws IOException {
    Path p = run.resolve(file);
    return Files.exists(p) ? JSON.readTree(p.toFile()) : JSON.createObjectNode();
  }

  /**
   * Draws the pictures of the run directory {@code run} into {@code run/report/} and writes {@code run/report.html};
   * returns the pictures' files, relative to {@code run}.
   */
  public static List<String> write(Path run) throws IOException {
    System.setProperty("java.awt.headless", "true");
    RunReport r = new RunReport(run);
    r.drawModel();
    r.drawLearningCurves();
    r.drawSearch();
    r.drawSlices();
    r.drawColumns();
    List<Picture> pictures = r.drawings.parallelStream().map(RunReport::draw).toList();
    Files.createDirectories(run.resolve(DIRECTORY));
    List<String> files = new ArrayList<>();
    for (Picture p : pictures) {
      Files.write(run.resolve(DIRECTORY).resolve(p.file()), p.png());
      files.add(DIRECTORY + "/" + p.file());
    }
    Files.writeString(run.resolve(PAGE), ReportPage.html(r.record, r.metrics, r.read("anomalies.json"), r.read("statistics.json"),
        r.read("tuning/trials.json"), pictures));
    return files;
  }

  private void add(String file, String section, String caption, ChartMaker chart) {
    drawings.add(new Drawing(file, section, caption, chart));
  }

  private static Picture draw(Drawing d) {
    try {
      return new Picture(d.file(), d.section(), d.caption(), Charts.png(d.chart().make()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(d.file() + ": " + e.getMessage(), e);
    }
  }

  /** The task's pictures from the test predictions: binary, multi-class or regression. */
  private void drawModel() throws IOException {
    Path file = run.resolve("predictions/test.csv");
    String task = record.path("model").path("task").asText();
    if (Files.exists(file)) {
      List<String> classes = new ArrayList<>();
      record.path("model").path("classes").forEach(c -> classes.add(c.asText()));
      Predictions p = Predictions.read(file);
      if (p.rows() > 0) {
        switch (task) {
          case "binary" -> drawBinary(p, classes);
          case "multiclass" -> drawMultiClass(p, classes);
          case "regression" -> drawRegression(p);
          default -> { }
        }
      }
    }
    Map<String, Double> importance = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = record.path("model").path("info").path("importance").fields();
    while (it.hasNext() && importance.size() < TOP) {
      Map.Entry<String, JsonNode> e = it.next();
      importance.put(e.getKey(), e.getValue().asDouble());
    }
    if (!importance.isEmpty()) {
      add("importance.png", "Model", "Feature importance: the average gain of the splits on each feature (the " + importance.size()
          + " largest)", () -> Charts.bars("Feature importance (gain)", "feature", "gain", importance));
    }
  }

  private void drawBinary(Predictions p, List<String> classes) throws IOException {
    boolean[] positive = new boolean[p.rows()];
    double[] score = p.column("probability");
    for (int i = 0; i < positive.length; i++) {
      positive[i] = p.label()[i] == 1;
    }
    double threshold = record.path("spec").path("resolved").path("evaluator").path("threshold").asDouble(0.5);
    double auc = metrics.path("test").path("auc").asDouble();
    add("roc.png", "Model", "ROC curve of the test split", () -> Charts.roc(Curves.roc(positive, score), auc));
    long pos = 0;
    for (boolean b : positive) {
      pos += b ? 1 : 0;
    }
    double averagePrecision = metrics.path("test").path("aucpr").asDouble();
    double positiveShare = (double) pos / positive.length;
    add("precision-recall.png", "Model", "Precision against recall on the test split",
        () -> Charts.precisionRecall(Curves.precisionRecall(positive, score), averagePrecision, positiveShare));
    add("calibration.png", "Model", "Calibration: the share of positives against the mean predicted probability, in 10 bins",
        () -> Charts.calibration(Curves.calibration(positive, score, 10)));
    int[] actual = new int[positive.length];
    int[] predicted = new int[positive.length];
    for (int i = 0; i < actual.length; i++) {
      actual[i] = positive[i] ? 1 : 0;
      predicted[i] = score[i] >= threshold ? 1 : 0;
    }
    add("confusion.png", "Model", "Confusion matrix of the test split at the threshold " + threshold,
        () -> Charts.confusion(Curves.confusion(actual, predicted, 2), names(classes, 2), "threshold " + threshold));
  }

  private void drawMultiClass(Predictions p, List<String> classes) throws IOException {
    int k = classes.size();
    int[] actual = new int[p.rows()];
    int[] predicted = new int[p.rows()];
    double[][] scores = new double[k][];
    for (int c = 0; c < k; c++) {
      scores[c] = p.column("p_" + classes.get(c));
    }
    for (int i = 0; i < actual.length; i++) {
      actual[i] = (int) p.label()[i];
      int best = 0;
      for (int c = 1; c < k; c++) {
        best = scores[c][i] > scores[best][i] ? c : best;
      }
      predicted[i] = best;
    }
    add("confusion.png", "Model", "Confusion matrix of the test split (the most probable class)",
        () -> Charts.confusion(Curves.confusion(actual, predicted, k), classes, "most probable class"));
  }

  private void drawRegression(Predictions p) throws IOException {
    int step = Math.max(1, p.rows() / SCATTER_ROWS);
    int n = (p.rows() + step - 1) / step;
    double[] actual = new double[n];
    double[] predicted = new double[n];
    double[] all = p.column("prediction");
    for (int i = 0, k = 0; i < p.rows(); i += step, k++) {
      actual[k] = p.label()[i];
      predicted[k] = all[i];
    }
    String rows = step == 1 ? "every test row" : "every " + step + "th test row (" + n + ")";
    add("predicted-vs-actual.png", "Model", "Predicted against actual values, " + rows, () -> Charts.predictedVsActual(actual, predicted));
    add("residuals.png", "Model", "Residuals against the prediction, " + rows, () -> Charts.residuals(actual, predicted));
  }

  private static List<String> names(List<String> classes, int k) {
    if (classes.size() == k) {
      return classes;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      out.add(Integer.toString(i));
    }
    return out;
  }

  /** Per metric of the training history: train and validation by round. */
  /**
   * A search's pictures ({@code tuning/trials.json}): the metric by trial, and against each numeric setting
   * searched. Trials that did not finish are left out.
   */
  private void drawSearch() throws IOException {
    JsonNode search = read("tuning/trials.json");
    String metric = search.path("metric").asText();
    List<JsonNode> done = new ArrayList<>();
    search.path("trials").forEach(t -> {
      if (t.path("status").asText().equals("done") && t.path("mean").path(metric).isNumber()) {
        done.add(t);
      }
    });
    if (done.size() < 2) {
      return;
    }
    int n = done.size();
    double[] trials = new double[n];
    double[] means = new double[n];
    double[] stds = new double[n];
    int best = -1;
    for (int i = 0; i < n; i++) {
      trials[i] = done.get(i).path("trial").asDouble();
      means[i] = done.get(i).path("mean").path(metric).asDouble();
      stds[i] = done.get(i).path("std").path(metric).asDouble();
      best = done.get(i).path("trial").asInt() == search.path("best").asInt() ? i : best;
    }
    int bestIndex = best;
    String by = search.path("validation").asText();
    add("search-by-trial.png", "Search", "The search's " + metric + " by trial (" + by + "; mean and standard deviation over the folds); "
        + "the best in red", () -> Charts.searchByTrial(metric, trials, means, stds, bestIndex));
    Iterator<String> settings = done.get(0).path("values").fieldNames();
    while (settings.hasNext()) {
      String setting = settings.next();
      double[] values = new double[n];
      boolean numeric = true;
      for (int i = 0; i < n && numeric; i++) {
        JsonNode v = done.get(i).path("values").path(setting);
        numeric = v.isNumber();
        values[i] = v.asDouble();
      }
      if (numeric && java.util.Arrays.stream(values).distinct().count() > 1) {
        add("search-" + setting.replaceAll("[^A-Za-z0-9_.-]", "_") + ".png", "Search", "The search's " + metric + " against " + setting
            + " (each trial's mean over the folds)", () -> Charts.searchByValue(metric, setting, values, means, bestIndex));
      }
    }
  }

  private void drawLearningCurves() throws IOException {
    JsonNode history = read("history.json");
    JsonNode iterations = history.path("iterations");
    if (iterations.size() == 0) {
      return;
    }
    Set<String> metricNames = new LinkedHashSet<>();
    Set<String> splits = new LinkedHashSet<>();
    iterations.get(0).fields().forEachRemaining(f -> {
      if (f.getValue().isObject()) {
        splits.add(f.getKey());
        f.getValue().fieldNames().forEachRemaining(metricNames::add);
      }
    });
    double[] rounds = new double[iterations.size()];
    for (int i = 0; i < rounds.length; i++) {
      rounds[i] = iterations.get(i).path("iteration").asDouble();
    }
    int best = history.path("bestIteration").asInt(-1);
    for (String metric : metricNames) {
      Map<String, double[]> bySplit = new LinkedHashMap<>();
      for (String split : splits) {
        double[] v = new double[rounds.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = iterations.get(i).path(split).path(metric).asDouble(Double.NaN);
        }
        bySplit.put(split, v);
      }
      add("learning-curve-" + fileName(metric) + ".png", "Training", "The learning curve: " + metric + " by boosting round",
          () -> Charts.learningCurve(metric, bySplit, rounds, best));
    }
  }

  /** Per slicing: the headline metric of each slice. */
  private void drawSlices() throws IOException {
    Iterator<Map.Entry<String, JsonNode>> slicings = metrics.path("slices").fields();
    int n = 0;
    while (slicings.hasNext()) {
      Map.Entry<String, JsonNode> slicing = slicings.next();
      String metric = headline(slicing.getValue());
      if (metric == null) {
        continue;
      }
      Map<String, Double> values = new LinkedHashMap<>();
      slicing.getValue().fields().forEachRemaining(s -> values.put(s.getKey() + " (" + s.getValue().path("rows").asLong() + ")",
          s.getValue().path(metric).asDouble(Double.NaN)));
      add("slices-" + (n++) + ".png", "Slices", "Test " + metric + " per slice of " + slicing.getKey() + " (rows in brackets)",
          () -> Charts.bars(metric + " by " + slicing.getKey(), slicing.getKey(), metric, values));
    }
  }

  /** The metric a slice chart shows: auc, accuracy, r2 or rmse if reported, else the first. */
  private static String headline(JsonNode slices) {
    Iterator<JsonNode> first = slices.elements();
    if (!first.hasNext()) {
      return null;
    }
    JsonNode m = first.next();
    for (String preferred : List.of("auc", "accuracy", "r2", "rmse")) {
      if (m.has(preferred)) {
        return preferred;
      }
    }
    Iterator<String> names = m.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!name.equals("rows")) {
        return name;
      }
    }
    return null;
  }

  /** Per column: its distribution in the training split against the test split, from the statistics. */
  private void drawColumns() throws IOException {
    JsonNode datasets = read("statistics.json").path("datasets");
    JsonNode train = datasets.path("train").path("columns");
    JsonNode test = datasets.path("test").path("columns");
    Iterator<Map.Entry<String, JsonNode>> columns = train.fields();
    int n = 0;
    while (columns.hasNext()) {
      Map.Entry<String, JsonNode> c = columns.next();
      String name = c.getKey();
      Map<String, JsonNode> bySplit = new LinkedHashMap<>();
      bySplit.put("train", c.getValue());
      if (test.has(name)) {
        bySplit.put("test", test.get(name));
      }
      String file = "column-" + (n++) + "-" + fileName(name) + ".png";
      String type = c.getValue().path("type").asText();
      if (type.equals("numeric") && c.getValue().path("histogram").isObject()) {
        Map<String, double[][]> shares = new LinkedHashMap<>();
        bySplit.forEach((split, s) -> {
          if (s.path("histogram").isObject()) {
            shares.put(split, Histograms.numeric(s.path("histogram")));
          }
        });
        add(file, "Data", name + " (numeric): the share of rows per histogram bin", () -> Charts.numericHistogram(name, shares));
      } else if (type.equals("categorical") && c.getValue().path("top").size() > 0) {
        List<String> values = Histograms.topValues(c.getValue(), TOP);
        Map<String, List<Double>> shares = new LinkedHashMap<>();
        bySplit.forEach((split, s) -> shares.put(split, Histograms.shares(s, values)));
        add(file, "Data", name + " (categorical): the share of rows of its " + values.size() + " most frequent training values",
            () -> Charts.categoricalHistogram(name, values, shares));
      }
    }
  }

  static String fileName(String name) {
    String f = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    return f.isEmpty() ? "x" : f;
  }

  /** The test predictions: the label column and the score columns, by name. */
  record Predictions(double[] label, Map<String, double[]> columns) {
    int rows() {
      return label.length;
    }

    double[] column(String name) {
      double[] c = columns.get(name);
      if (c == null) {
        throw new IllegalArgumentException("predictions/test.csv has no column '" + name + "'; it has " + columns.keySet());
      }
      return c;
    }

    static Predictions read(Path file) throws IOException {
      try (Reader in = Files.newBufferedReader(file)) {
        var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
        List<String> header = parser.getHeaderNames();
        List<String> scores = header.subList(header.indexOf("label") + 1, header.size());
        List<double[]> rows = new ArrayList<>();
        for (CSVRecord r : parser) {
          double[] row = new double[scores.size() + 1];
          String label = r.get("label");
          row[0] = label.isEmpty() ? Double.NaN : Double.parseDouble(label);
          for (int k = 0; k < scores.size(); k++) {
            row[k + 1] = Double.parseDouble(r.get(scores.get(k)));
          }
          rows.add(row);
        }
        double[] labels = new double[rows.size()];
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (int k = 0; k < scores.size(); k++) {
          columns.put(scores.get(k), new double[rows.size()]);
        }
        for (int i = 0; i < rows.size(); i++) {
          labels[i] = rows.get(i)[0];
          for (int k = 0; k < scores.size(); k++) {
            columns.get(scores.get(k))[i] = rows.get(i)[k + 1];
          }
        }
        return new Predictions(labels, columns);
      }
    }
  }
}
