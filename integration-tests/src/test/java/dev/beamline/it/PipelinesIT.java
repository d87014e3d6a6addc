package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example pipelines end to end through the CLI, on the real datasets, asserting the figures the
 * project promises (see the README).
 */
class PipelinesIT {
  static final Path ROOT = Path.of(System.getProperty("beamline.root", "..")).toAbsolutePath().normalize();
  /** The shared datasets (../shared/datasets, or -Dbeamline.datasets). */
  static final Path DATASETS = Path.of(System.getProperty("beamline.datasets", ROOT.resolve("../shared/datasets").toString()))
      .toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  /** Runs a pipeline through the CLI and returns its run directory. */
  static Path run(Path tmp, String pipeline, String... extra) {
    Path out = tmp.resolve(pipeline);
    String[] args = new String[4 + extra.length];
    args[0] = "run";
    args[1] = ROOT.resolve("pipelines").resolve(pipeline).resolve("pipeline.yaml").toString();
    args[2] = "--output";
    args[3] = out.toString();
    System.arraycopy(extra, 0, args, 4, extra.length);
    Cli c = Cli.run(args);
    assertEquals(0, c.code(), "exit code; stderr: " + c.err() + c.keptTrace());
    return out;
  }

  static JsonNode json(Path file) throws IOException {
    return JSON.readTree(Files.readString(file));
  }

  @Test
  void agaricusReproducesXgboostsPublishedDemo() throws IOException {
    Path run = run(tmp, "agaricus");
    JsonNode test = json(run.resolve("metrics.json")).get("test");
    // XGBoost's basic walkthrough: test error 0.021726 after 2 rounds (eta 1, max_depth 2), AUC 0.97993.
    assertEquals(0.021726, test.get("error").asDouble(), 1e-5);
    assertEquals(0.97993, test.get("auc").asDouble(), 1e-5);
    assertEquals(1611, test.get("rows").asInt());
    assertEquals(2, json(run.resolve("history.json")).get("iterations").size());
    // The demo's figure after round 1 (0.042831): the same pipeline with one round.
    Path one = run(tmp.resolve("one-round"), "agaricus", "--set", "trainer.rounds=1");
    assertEquals(0.042831, json(one.resolve("metrics.json")).get("test").get("error").asDouble(), 1e-5);
  }

  @Test
  void adultIncomeReachesTheAucPromised() throws Exception {
    Path run = run(tmp, "adult-income");
    JsonNode metrics = json(run.resolve("metrics.json"));
    double auc = metrics.get("test").get("auc").asDouble();
    assertTrue(auc >= 0.927, "test auc " + auc);
    assertEquals(16281, metrics.get("test").get("rows").asInt(), "every adult.test row is scored");
    JsonNode runJson = json(run.resolve("run.json"));
    assertEquals("FINISHED", runJson.get("status").asText());
    assertEquals(32561, runJson.get("inputs").get(0).get("rowsRead").asInt());
    assertEquals(0, runJson.get("inputs").get(0).get("rowsRejectedByReader").asInt());
    assertEquals(16281, runJson.get("inputs").get(1).get("rowsRead").asInt());
    assertEquals(0, runJson.get("rejected").get("total").asInt());
    assertEquals(64, runJson.get("inputs").get(0).get("sha256").asText().length());
    assertTrue(Files.exists(run.resolve("model/model.ubj")));
    assertTrue(Files.readString(run.resolve("model/MLmodel")).contains("loader_module: beamline_pyfunc"));
    assertTrue(Files.isRegularFile(run.resolve("model/code/beamline_pyfunc.py")), "Python's pyfunc takes raw columns");
    assertEquals("test", json(run.resolve("model/source.json")).get("source").asText());
    assertEquals("[\"age\",\"fnlwgt\",\"education-num\",\"capital-gain\",\"capital-loss\",\"hours-per-week\",\"workclass\",",
        json(run.resolve("model/input_example.json")).get("columns").toString().substring(0, 91), "raw columns in the input example");
    JsonNode transform = json(run.resolve("model/transform.json"));
    assertEquals("beamline-transform", transform.get("format").asText());
    assertEquals(14, transform.get("features").size());
    // The report: the binary pictures, importance, learning curves, slices and a histogram per column, in one page.
    for (String picture : List.of("roc", "precision-recall", "calibration", "confusion", "importance", "learning-curve-auc", "slices-0",
        "column-0-age")) {
      assertTrue(Files.isRegularFile(run.resolve("report/" + picture + ".png")), picture);
    }
    Browser.assertReportRenders(run);
  }

  @Test
  void californiaHousingStaysUnderTheRmsePromised() throws Exception {
    Path run = run(tmp, "california-housing");
    JsonNode test = json(run.resolve("metrics.json")).get("test");
    assertTrue(test.get("rmse").asDouble() <= 47000, "test rmse " + test.get("rmse"));
    JsonNode schema = json(run.resolve("schema.json"));
    assertTrue(schema.get("inferred").asBoolean());
    assertEquals("categorical", schema.get("columns").get(9).get("type").asText(), "ocean_proximity");
    JsonNode runJson = json(run.resolve("run.json"));
    long rows = runJson.get("splits").get("train").asLong() + runJson.get("splits").get("validation").asLong()
        + runJson.get("splits").get("test").asLong();
    assertEquals(20640, rows);
    assertTrue(Files.isRegularFile(run.resolve("report/predicted-vs-actual.png")));
    assertTrue(Files.isRegularFile(run.resolve("report/residuals.png")));
    Browser.assertReportRenders(run);
  }

  @Test
  void titanicReachesTheAccuracyPromised() throws IOException {
    Path run = run(tmp, "titanic");
    JsonNode test = json(run.resolve("metrics.json")).get("test");
    assertTrue(test.get("accuracy").asDouble() >= 0.80, "test accuracy " + test.get("accuracy"));
    // Stratified: 342 of 891 survived; round(342 * 0.2) + round(549 * 0.2) = 68 + 110 test rows.
    assertEquals(178, test.get("rows").asInt());
  }
}
