package dev.beamline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The page of a run's report: plain HTML with its style and its pictures inside it (PNG as data URIs), so that
 * it opens from the file system or as an MLflow artifact with no other file and no network.
 */
final class ReportPage {
  private static final List<String> SPLITS = List.of("train", "validation", "test");
  private static final List<String> SECTIONS = List.of("Model", "Training", "Search", "Slices", "Data");

  private ReportPage() {}

  static String html(JsonNode run, JsonNode metrics, JsonNode anomalies, JsonNode statistics, JsonNode search,
      List<RunReport.Picture> pictures) {
    StringBuilder h = new StringBuilder(1 << 16);
    String title = "Beamline run " + run.path("pipeline").asText() + " " + run.path("runId").asText();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n<style>")
        .append("body{font-family:sans-serif;margin:2em auto;max-width:1500px;color:#222}h1{font-size:1.5em}h2{border-bottom:1px solid #ccc}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}figure{display:inline-block;margin:0 1em 1em 0;vertical-align:top}")
        .append("figcaption{font-size:.9em;color:#555;max-width:720px}.yes{color:#176b1c}.no{color:#a31515}")
        .append("</style></head><body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n<p>");
    h.append(esc(String.format(Locale.ROOT, "%s task, %s, %s on the %s; started %s, %.1f s.", run.path("model").path("task").asText(),
        run.path("status").asText(), run.path("kind").asText(), run.path("runner").asText(), run.path("startTime").asText(),
        run.path("durationSeconds").asDouble()))).append("</p>\n");
    blessing(h, metrics.path("blessing"));
    metricTable(h, metrics);
    for (String section : SECTIONS) {
      List<RunReport.Picture> in = pictures.stream().filter(p -> p.section().equals(section)).toList();
      if (!in.isEmpty()) {
        h.append("<h2>").append(section).append("</h2>\n");
        for (RunReport.Picture p : in) {
          h.append("<figure><img src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(p.png())).append("\" alt=\"")
              .append(esc(p.caption())).append("\" width=\"").append(Charts.WIDTH).append("\"><figcaption>").append(esc(p.caption())).append(" (").append(RunReport.DIRECTORY).append('/').append(p.file())
              .append(")</figcaption></figure>\n");
        }
      }
    }
    searchTable(h, search);
    anomalyTable(h, anomalies);
    statisticsTable(h, statistics);
    h.append("</body></html>\n");
    return h.toString();
  }

  private static void blessing(StringBuilder h, JsonNode b) {
    if (b.isMissingNode()) {
      return;
    }
    boolean blessed = b.path("blessed").asBoolean();
    h.append("<h2>Blessing</h2>\n<p class=\"").append(blessed ? "yes" : "no").append("\"><b>").append(blessed ? "Blessed" : "Not blessed")
        .append("</b></p>\n<ul>");
    b.path("reasons").forEach(r -> h.append("<li>").append(esc(r.asText())).append("</li>"));
    h.append("</ul>\n");
  }

  private static void metricTable(StringBuilder h, JsonNode metrics) {
    Set<String> names = new LinkedHashSet<>();
    SPLITS.forEach(s -> metrics.path(s).fieldNames().forEachRemaining(names::add));
    JsonNode ci = metrics.path("intervals").path("test");
    h.append("<h2>Metrics</h2>\n<table><tr><th>metric</th>");
    SPLITS.forEach(s -> h.append("<th>").append(s).append("</th>"));
    if (!ci.isMissingNode()) {
      h.append("<th>test ").append(Math.round(metrics.path("intervals").path("confidence").asDouble() * 100)).append("% interval (")
          .append(metrics.path("intervals").path("samples").asInt()).append(" bootstrap samples)</th>");
    }
    h.append("</tr>\n");
    for (String name : names) {
      h.append("<tr><td>").append(esc(name)).append("</td>");
      for (String s : SPLITS) {
        h.append("<td>").append(number(name, metrics.path(s).path(name))).append("</td>");
      }
      if (!ci.isMissingNode()) {
        JsonNode c = ci.path(name);
        h.append("<td>").append(c.isMissingNode() ? "" : "[" + number(name, c.path("low")) + ", " + number(name, c.path("high")) + "]")
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  /** Every trial of a search ({@code tuning/trials.json}): its values, the metric's mean and std over the folds, its rounds. */
  private static void searchTable(StringBuilder h, JsonNode search) {
    JsonNode trials = search.path("trials");
    if (trials.size() == 0) {
      return;
    }
    String metric = search.path("metric").asText();
    List<String> settings = new java.util.ArrayList<>();
    trials.get(0).path("values").fieldNames().forEachRemaining(settings::add);
    h.append("<h2>Search trials</h2>\n<p>").append(esc(search.path("strategy").asText() + " search, " + search.path("validation").asText()
        + ", by " + metric + " (" + search.path("direction").asText() + "); the model is trial " + search.path("best").asText()
        + "'s, retrained on the whole training split.")).append("</p>\n<table><tr><th>trial</th>");
    settings.forEach(k -> h.append("<th>").append(esc(k)).append("</th>"));
    h.append("<th>").append(esc(metric)).append(" mean</th><th>std</th><th>rounds (per fold)</th></tr>\n");
    for (JsonNode t : trials) {
      boolean best = t.path("trial").asInt() == search.path("best").asInt();
      h.append("<tr").append(best ? " class=\"yes\"" : "").append("><td>").append(t.path("trial").asText()).append(best ? " (best)" : "")
          .append("</td>");
      settings.forEach(k -> h.append("<td>").append(esc(t.path("values").path(k).asText())).append("</td>"));
      if (t.path("status").asText().equals("done")) {
        StringBuilder rounds = new StringBuilder();
        t.path("folds").forEach(f -> rounds.append(rounds.length() == 0 ? "" : ", ").append(f.path("bestIteration").asInt() >= 0
            ? f.path("bestIteration").asInt() + 1 : f.path("iterations").asInt()));
        h.append(String.format(Locale.ROOT, "<td>%.5f</td><td>%.5f</td><td>%s</td>", t.path("mean").path(metric).asDouble(),
            t.path("std").path(metric).asDouble(), rounds));
      } else {
        h.append("<td colspan=\"3\">").append(esc(t.path("status").asText())).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void anomalyTable(StringBuilder h, JsonNode anomalies) {
    JsonNode list = anomalies.path("anomalies");
    if (list.size() == 0) {
      return;
    }
    h.append("<h2>Anomalies</h2>\n<table><tr><th>dataset</th><th>column</th><th>kind</th><th>severity</th><th>what</th></tr>\n");
    for (JsonNode a : list) {
      h.append("<tr>");
      for (String k : List.of("dataset", "column", "kind", "severity", "message")) {
        h.append("<td style=\"text-align:left\">").append(esc(a.path(k).asText())).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static void statisticsTable(StringBuilder h, JsonNode statistics) {
    JsonNode train = statistics.path("datasets").path("train");
    if (train.isMissingNode()) {
      return;
    }
    h.append("<h2>Statistics of the training split</h2>\n<p>").append(train.path("rows").asLong())
        .append(" rows; every split's statistics are in statistics.json.</p>\n<table><tr><th>column</th><th>type</th><th>count</th>")
        .append("<th>missing</th><th>min</th><th>mean</th><th>max</th><th>distinct</th><th>most frequent</th></tr>\n");
    Iterator<Map.Entry<String, JsonNode>> columns = train.path("columns").fields();
    while (columns.hasNext()) {
      Map.Entry<String, JsonNode> e = columns.next();
      JsonNode c = e.getValue();
      List<String> cells = new ArrayList<>(List.of(e.getKey(), c.path("type").asText(), Long.toString(c.path("count").asLong()),
          String.format(Locale.ROOT, "%.2f%%", c.path("missingFraction").asDouble() * 100), plain(c.path("min")), plain(c.path("mean")),
          plain(c.path("max")), c.path("distinct").asText(""),
          c.path("top").size() > 0 ? c.path("top").get(0).path("value").asText() + " (" + c.path("top").get(0).path("count").asLong() + ")" : ""));
      h.append("<tr>");
      cells.forEach(x -> h.append("<td>").append(esc(x)).append("</td>"));
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  private static String number(String name, JsonNode v) {
    if (!v.isNumber()) {
      return "";
    }
    return name.equals("rows") ? String.format(Locale.ROOT, "%,d", v.asLong()) : String.format(Locale.ROOT, "%.6f", v.asDouble());
  }

  private static String plain(JsonNode v) {
    return v.isNumber() ? String.format(Locale.ROOT, "%.6g", v.asDouble()) : "";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
