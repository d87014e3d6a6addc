package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data statistics, schema and drift on the real datasets, through the CLI: adult trained with a schema
 * inferred from it passes on adult.test; a corrupted copy of adult.test fails on exactly its three damaged
 * columns; bike sharing's 2012 demand drifts from 2011's, its seasons and holidays do not.
 */
class DataValidationIT {
  @TempDir
  Path tmp;

  private static final List<String> ADULT = List.of("age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
      "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income");

  @Test
  void adultPassesItsOwnSchemaAndACorruptedCopyFailsOnExactlyTheDamagedColumns() throws IOException {
    Path pipeline = PipelinesIT.ROOT.resolve("pipelines/adult-income/pipeline.yaml");
    Path schema = tmp.resolve("schema.yaml");
    Cli infer = Cli.run("infer-schema", pipeline.toString(), "--output", schema.toString());
    assertEquals(0, infer.code(), infer.err());

    Path run = PipelinesIT.run(tmp, "adult-income", "--set", "validation.schema=" + schema);
    JsonNode validation = PipelinesIT.json(run.resolve("run.json")).path("validation");
    assertTrue(validation.path("passed").asBoolean(), validation.toString());
    assertEquals(0, validation.path("errors").asInt(), PipelinesIT.json(run.resolve("anomalies.json")).toString());

    // adult.test with a header line, hours-per-week x 100, a third of the occupations unknown, education dropped.
    List<String> lines = Files.readAllLines(PipelinesIT.DATASETS.resolve("adult/adult.test"));
    List<String> keep = ADULT.stream().filter(c -> !c.equals("education")).toList();
    StringBuilder bad = new StringBuilder(String.join(",", keep)).append('\n');
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] f = lines.get(i).split(",");
      List<String> out = new ArrayList<>();
      for (int c = 0; c < ADULT.size(); c++) {
        String name = ADULT.get(c);
        String v = f[c].strip();
        if (name.equals("education")) {
          continue;
        }
        out.add(name.equals("hours-per-week") ? String.valueOf(Integer.parseInt(v) * 100) : name.equals("occupation") && i % 3 == 0 ? "Drone-pilot" : v);
      }
      bad.append(String.join(",", out)).append('\n');
    }
    Path corrupted = Files.writeString(tmp.resolve("adult-corrupted.csv"), bad);
    Cli check = Cli.run("validate-data", "--reference", run.toString(), "--input", corrupted.toString(), "--set", "source.header=use",
        "--set", "source.skipLines=0", "--output", tmp.resolve("check").toString());
    assertEquals(3, check.code(), check.err());
    assertEquals(new TreeSet<>(List.of("education", "hours-per-week", "occupation")), errorColumns(tmp.resolve("check")));
  }

  @Test
  void bikeSharingDemandDriftsFrom2011To2012AndTheCalendarDoesNot() throws IOException {
    List<String> lines = Files.readAllLines(PipelinesIT.DATASETS.resolve("bike_sharing/day.csv"));
    StringBuilder y2011 = new StringBuilder(lines.get(0)).append('\n');
    StringBuilder y2012 = new StringBuilder(lines.get(0)).append('\n');
    for (String l : lines.subList(1, lines.size())) {
      (l.split(",")[3].equals("0") ? y2011 : y2012).append(l).append('\n');
    }
    Files.writeString(tmp.resolve("day-2011.csv"), y2011);
    Path input = Files.writeString(tmp.resolve("day-2012.csv"), y2012);
    Path spec = Files.writeString(tmp.resolve("bike.yaml"), String.join("\n",
        "name: bike-2011",
        "sources: {data: {type: csv, path: day-2011.csv}}",
        "schema: {columns: [{name: instant, type: numeric}, {name: dteday, type: categorical}, {name: season, type: categorical},",
        "  {name: yr, type: numeric}, {name: mnth, type: numeric}, {name: holiday, type: categorical}, {name: weekday, type: numeric},",
        "  {name: workingday, type: categorical}, {name: weathersit, type: categorical}, {name: temp, type: numeric},",
        "  {name: atemp, type: numeric}, {name: hum, type: numeric}, {name: windspeed, type: numeric}, {name: casual, type: numeric},",
        "  {name: registered, type: numeric}, {name: cnt, type: numeric}]}",
        "label: {column: cnt, task: regression}",
        "split: {type: random, testFraction: 0.2}",
        "features: [{columns: [season, holiday, workingday, weathersit], transforms: [{type: vocabulary}]},",
        "  {columns: [temp, atemp, hum, windspeed, mnth, weekday]}]",
        "trainer: {type: xgboost, rounds: 20, nthread: 1}", ""));
    Path reference = tmp.resolve("bike-2011");
    Cli run = Cli.run("run", spec.toString(), "--output", reference.toString());
    assertEquals(0, run.code(), run.err());
    Cli check = Cli.run("validate-data", "--reference", reference.toString(), "--input", input.toString(), "--output",
        tmp.resolve("check").toString());
    assertEquals(3, check.code(), check.err());
    JsonNode report = PipelinesIT.json(tmp.resolve("check/anomalies.json"));
    List<String> drifted = new ArrayList<>();
    report.path("anomalies").forEach(a -> {
      if (a.path("kind").asText().equals("drift")) {
        drifted.add(a.path("column").asText());
      }
    });
    assertTrue(drifted.containsAll(List.of("cnt", "registered")), "drift on " + drifted);
    for (String steady : List.of("season", "holiday")) {
      assertTrue(!drifted.contains(steady), steady + " drifted: " + drifted);
      assertTrue(report.path("drift").path(steady).path("jensenShannon").asDouble() < 0.01, report.path("drift").path(steady).toString());
    }
    assertTrue(report.path("drift").path("cnt").path("jensenShannon").asDouble() > 0.2, report.path("drift").path("cnt").toString());
  }

  private static TreeSet<String> errorColumns(Path checkDir) throws IOException {
    TreeSet<String> columns = new TreeSet<>();
    for (JsonNode a : PipelinesIT.json(checkDir.resolve("anomalies.json")).path("anomalies")) {
      if (a.path("severity").asText().equals("error")) {
        columns.add(a.path("column").asText());
      }
    }
    return columns;
  }
}
