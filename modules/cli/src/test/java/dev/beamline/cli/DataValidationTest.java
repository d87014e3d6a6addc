package dev.beamline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code beamline infer-schema}, and a run checked against the schema it wrote: exit code 3 on error-level anomalies. */
class DataValidationTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /** 200 rows: x in 0..9, a category that depends on x, a label; {@code scale} multiplies x, {@code odd} replaces some categories. */
  private Path data(String name, int scale, String odd) throws IOException {
    StringBuilder csv = new StringBuilder("x,kind,label\n");
    for (int i = 0; i < 200; i++) {
      int x = i % 10;
      String kind = odd != null && i % 4 == 0 ? odd : x < 5 ? "low" : "high";
      csv.append(x * scale).append(',').append(kind).append(',').append(x < 5 ? 0 : 1).append('\n');
    }
    return Files.writeString(dir.resolve(name), csv);
  }

  private Path pipeline(String test, String extra) throws IOException {
    return Files.writeString(dir.resolve("p.yaml"), String.join("\n",
        "name: checked",
        "sources: {train: {type: csv, path: train.csv}, test: {type: csv, path: " + test + "}}",
        "schema: {columns: [{name: x, type: numeric}, {name: kind, type: categorical}, {name: label, type: numeric}]}",
        "label: {column: label, task: binary}",
        "features: [{columns: [x]}, {column: kind, transforms: [{type: vocabulary}]}]",
        "trainer: {type: xgboost, rounds: 3, nthread: 1}",
        extra, ""));
  }

  @Test
  void aRunCheckedAgainstTheInferredSchemaExitsWith3OnBadData() throws IOException {
    data("train.csv", 1, null);
    data("good.csv", 1, null);
    data("bad.csv", 100, "purple");
    Path spec = pipeline("good.csv", "");

    CliRun infer = CliRun.of("infer-schema", spec.toString());
    assertEquals(0, infer.code(), infer.err());
    Path schema = dir.resolve("schema.yaml");
    String text = Files.readString(schema);
    assertTrue(text.contains("- name: x\n  type: numeric\n  required: true\n  maxMissingFraction: 0.01\n  min: 0.0\n  max: 9.0\n"), text);
    assertTrue(text.contains("  domain:\n  - high\n  - low\n"), text);
    assertTrue(infer.out().contains("data schema: " + schema), infer.out());
    CliRun again = CliRun.of("infer-schema", spec.toString());
    assertEquals(2, again.code());
    assertTrue(again.err().contains("the file exists; give --force"), again.err());

    Path good = dir.resolve("good-run");
    pipeline("good.csv", "validation: {schema: schema.yaml}");
    CliRun ok = CliRun.of("run", spec.toString(), "--output", good.toString());
    assertEquals(0, ok.code(), ok.err());
    assertEquals("[]", JSON.readTree(Files.readString(good.resolve("anomalies.json"))).path("anomalies").toString());
    assertTrue(JSON.readTree(Files.readString(good.resolve("run.json"))).path("validation").path("passed").asBoolean());

    Path bad = dir.resolve("bad-run");
    pipeline("bad.csv", "validation: {schema: schema.yaml}");
    CliRun failed = CliRun.of("run", spec.toString(), "--output", bad.toString());
    assertEquals(3, failed.code(), failed.out() + failed.err());
    assertTrue(failed.err().contains("the data failed its schema (2 errors"), failed.err());
    assertTrue(failed.out().contains("error test: column 'x': 180 of 200 values (90.00%) outside [0, 9] (seen 0 to 900)"), failed.out());
    assertTrue(failed.out().contains("error test: column 'kind': 50 of 200 values (25.00%) outside the domain of 2 values, e.g. 'purple' (50)"),
        failed.out());
    JsonNode report = JSON.readTree(Files.readString(bad.resolve("anomalies.json")));
    assertFalse(report.path("passed").asBoolean());
    List<String> found = new ArrayList<>();
    report.path("anomalies").forEach(a -> found.add(a.path("dataset").asText() + " " + a.path("column").asText() + " "
        + a.path("kind").asText() + " " + a.path("severity").asText()));
    assertEquals(List.of("test x out_of_range error", "test kind out_of_domain error"), found);
    assertFalse(JSON.readTree(Files.readString(bad.resolve("run.json"))).path("validation").path("passed").asBoolean());
    String journal = Files.readString(bad.resolve("tracking/journal.jsonl"));
    assertFalse(journal.contains("model_registered"), "an unregistered model: " + journal);
    assertTrue(journal.contains("FAILED"), journal);
  }

  @Test
  void aMissingOrMistakenSchemaStopsTheRunBeforeItStarts() throws IOException {
    data("train.csv", 1, null);
    Path spec = pipeline("train.csv", "validation: {schema: nowhere.yaml}");
    CliRun missing = CliRun.of("run", spec.toString(), "--output", dir.resolve("r1").toString());
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("nowhere.yaml: no such file"), missing.err());
    assertFalse(Files.exists(dir.resolve("r1")));

    Files.writeString(dir.resolve("nowhere.yaml"), "columns:\n- name: x\n  type: numeric\n  minimum: 3\n");
    CliRun mistaken = CliRun.of("validate", spec.toString());
    assertEquals(2, mistaken.code());
    assertTrue(mistaken.err().contains("nowhere.yaml:4: columns.0.minimum: unknown key 'minimum'"), mistaken.err());

    Path typo = pipeline("train.csv", "");
    CliRun replaced = CliRun.of("validate", typo.toString(), "--set", "sources.test.replace={lable: {'1': '0'}}");
    assertEquals(2, replaced.code());
    assertTrue(replaced.err().contains("sources.test.replace.lable: no column 'lable' in the schema; its columns are [x, kind, label]"),
        replaced.err());
  }
}
