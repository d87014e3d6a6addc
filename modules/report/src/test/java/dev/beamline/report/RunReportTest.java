package dev.beamline.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A report drawn from a run directory's files: the pictures each task gets, all inside one page. */
class RunReportTest {
  @TempDir
  Path run;

  private void files(String task, String classes, String header, String rows) throws Exception {
    Files.writeString(run.resolve("run.json"), "{\"runId\": \"r1\", \"pipeline\": \"demo\", \"status\": \"FINISHED\", \"kind\": \"train\","
        + " \"model\": {\"task\": \"" + task + "\", \"classes\": " + classes + ", \"info\": {\"importance\": {\"x\": 3.5, \"y <b>\": 1.0}}},"
        + " \"spec\": {\"resolved\": {\"evaluator\": {\"threshold\": 0.5}}}}");
    Files.writeString(run.resolve("metrics.json"), "{\"train\": {\"rmse\": 1.0, \"rows\": 4}, \"validation\": {}, \"test\": {\"rmse\": 1.5,"
        + " \"rows\": 3}, \"slices\": {\"c\": {\"a\": {\"rmse\": 1.0, \"rows\": 2}, \"b\": {\"rmse\": 2.0, \"rows\": 1}}}}");
    Files.writeString(run.resolve("history.json"), "{\"bestIteration\": 1, \"iterations\": [{\"iteration\": 0, \"train\": {\"rmse\": 2.0},"
        + " \"validation\": {\"rmse\": 2.5}}, {\"iteration\": 1, \"train\": {\"rmse\": 1.0}, \"validation\": {\"rmse\": 1.6}}]}");
    Files.writeString(run.resolve("statistics.json"), "{\"format\": 1, \"datasets\": {\"train\": {\"rows\": 4, \"columns\": {"
        + "\"x\": {\"type\": \"numeric\", \"count\": 4, \"missingFraction\": 0, \"min\": 0, \"max\": 2, \"mean\": 1,"
        + " \"histogram\": {\"edges\": [0, 1, 2], \"counts\": [1, 3]}},"
        + "\"c\": {\"type\": \"categorical\", \"count\": 4, \"missingFraction\": 0, \"top\": [{\"value\": \"a\", \"count\": 3}, {\"value\": \"b\", \"count\": 1}],"
        + " \"values\": {\"a\": 3, \"b\": 1}}}}, \"test\": {\"rows\": 3, \"columns\": {"
        + "\"x\": {\"type\": \"numeric\", \"count\": 3, \"histogram\": {\"edges\": [0, 1.5, 3], \"counts\": [2, 1]}},"
        + "\"c\": {\"type\": \"categorical\", \"count\": 3, \"top\": [{\"value\": \"b\", \"count\": 3}], \"values\": {\"b\": 3}}}}}}");
    Files.createDirectories(run.resolve("predictions"));
    Files.writeString(run.resolve("predictions/test.csv"), header + "\n" + rows);
  }

  private static int images(String html) {
    Matcher m = Pattern.compile("<img src=\"data:image/png;base64,").matcher(html);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void aRegressionRunGetsPredictedVsActualResidualsImportanceLearningCurveSlicesAndColumns() throws Exception {
    files("regression", "[]", "source,file,line,label,prediction", "t,\"a,b.csv\",2,1.0,1.5\nt,\"a,b.csv\",3,2.0,1.0\nt,\"a,b.csv\",4,3.0,3.5");
    List<String> pictures = RunReport.write(run);
    assertEquals(List.of("report/predicted-vs-actual.png", "report/residuals.png", "report/importance.png", "report/learning-curve-rmse.png",
        "report/slices-0.png", "report/column-0-x.png", "report/column-1-c.png"), pictures);
    for (String p : pictures) {
      byte[] png = Files.readAllBytes(run.resolve(p));
      assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', p);
    }
    String html = Files.readString(run.resolve(RunReport.PAGE));
    assertEquals(pictures.size(), images(html), "every picture is inside the page");
    assertTrue(html.contains("Beamline run demo r1") && html.contains("<td>rmse</td>"), html.substring(0, 500));
    assertTrue(!html.contains("y <b>") && !html.contains("src=\"report/"), "text is escaped and nothing is linked from outside the page");
  }

  @Test
  void aMultiClassRunGetsItsConfusionMatrix() throws Exception {
    files("multiclass", "[\"a\", \"b\", \"c\"]", "source,file,line,label,p_a,p_b,p_c", "t,f,2,0,0.7,0.2,0.1\nt,f,3,2,0.1,0.6,0.3");
    List<String> pictures = RunReport.write(run);
    assertEquals("report/confusion.png", pictures.get(0));
    assertEquals(pictures.size(), images(Files.readString(run.resolve(RunReport.PAGE))));
  }

  @Test
  void theShareOfEachValueComesFromTheExactCounts() throws Exception {
    var column = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"count\": 4, \"top\": [{\"value\": \"a\", \"count\": 3}],"
        + " \"values\": {\"a\": 3, \"b\": 1}}");
    assertEquals(List.of(0.75, 0.25, 0.0), Histograms.shares(column, List.of("a", "b", "z")));
    double[][] h = Histograms.numeric(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"edges\": [0, 1, 3], \"counts\": [1, 3]}"));
    assertEquals(List.of(0.5, 2.0), List.of(h[0][0], h[0][1]));
    assertEquals(List.of(0.25, 0.75), List.of(h[1][0], h[1][1]));
  }
}
