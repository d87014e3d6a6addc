package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adult-income pipeline read from other formats than CSV gives the CSV pipeline's model and metrics. */
class SourcesIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> COLUMNS = AdultRows.COLUMNS;
  static final List<String> NUMERIC = List.of("age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week");

  @TempDir
  Path tmp;

  /**
   * Writes adult's CSV as JSON lines, line for line (the header or skipped line as a blank line, so that every row keeps
   * its line number and so its id): numbers as JSON numbers, "?" as null, adult.test's labels without their final dot.
   */
  static Path toJsonLines(Path csv, Path out, int skipped) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines.size(); i++) {
        Object[] values = i < skipped ? null : typed(lines.get(i));
        if (values == null) {
          w.write("\n");
          continue;
        }
        ObjectNode row = JSON.createObjectNode();
        for (int c = 0; c < values.length; c++) {
          if (values[c] == null) {
            row.putNull(COLUMNS.get(c));
          } else if (values[c] instanceof Double d) {
            row.put(COLUMNS.get(c), d);
          } else {
            row.put(COLUMNS.get(c), (String) values[c]);
          }
        }
        w.write(JSON.writeValueAsString(row));
        w.write("\n");
      }
    }
    return out;
  }

  /**
   * One line of adult's CSV as the pipeline reads it: numbers as doubles, "?" as null, the rest trimmed text,
   * adult.test's labels without their final dot; null for a line that is not a row.
   */
  static Object[] typed(String line) {
    String[] fields = line.split(",", -1);
    if (fields.length != COLUMNS.size()) {
      return null;
    }
    Object[] out = new Object[fields.length];
    for (int c = 0; c < fields.length; c++) {
      String v = fields[c].trim();
      String name = COLUMNS.get(c);
      if (v.equals("?")) {
        out[c] = null;
      } else if (NUMERIC.contains(name)) {
        out[c] = Double.parseDouble(v);
      } else {
        out[c] = name.equals("income") && v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
      }
    }
    return out;
  }

  @Test
  void adultFromJsonLinesGivesTheCsvPipelinesModelAndMetrics() throws IOException {
    Path data = toJsonLines(PipelinesIT.DATASETS.resolve("adult/adult.data"), tmp.resolve("adult.data.jsonl"), 1);
    Path test = toJsonLines(PipelinesIT.DATASETS.resolve("adult/adult.test"), tmp.resolve("adult.test.jsonl"), 1);
    Path csv = PipelinesIT.run(tmp.resolve("csv"), "adult-income", "--set", "report.enabled=false");
    Path jsonl = PipelinesIT.run(tmp.resolve("jsonl"), "adult-income", "--set", "report.enabled=false", "--set",
        "sources={train: {type: jsonl, path: " + data + "}, test: {type: jsonl, path: " + test + "}}");
    JsonNode inputs = PipelinesIT.json(jsonl.resolve("run.json")).get("inputs");
    for (int i = 0; i < 2; i++) {
      assertEquals("jsonl", inputs.get(i).get("type").asText(), inputs.toString());
      assertEquals(i == 0 ? 32561 : 16281, inputs.get(i).get("rowsRead").asInt(), "every row read, the blank lines are none");
    }
    JsonNode a = PipelinesIT.json(csv.resolve("metrics.json"));
    JsonNode b = PipelinesIT.json(jsonl.resolve("metrics.json"));
    for (String split : List.of("train", "validation", "test")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = a.get(split).fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> m = it.next();
        assertEquals(m.getValue().asDouble(), b.get(split).get(m.getKey()).asDouble(), 1e-9, split + " " + m.getKey());
      }
    }
    assertEquals(a.get("intervals"), b.get("intervals"), "the same row ids, so the same bootstrap replicates");
    assertArrayEquals(Files.readAllBytes(csv.resolve("model/model.ubj")), Files.readAllBytes(jsonl.resolve("model/model.ubj")),
        "the same rows in the same order train the same trees");
  }
}
