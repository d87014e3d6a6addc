package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw rows of adult.test (text, as in the file) by line number, and the ways the scoring tests send
 * them and compare what comes back: every way must agree with the training run's own predictions.
 */
final class AdultRows {
  static final Path FILE = PipelinesIT.DATASETS.resolve("adult/adult.test");
  static final List<String> COLUMNS = List.of("age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
      "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income");
  static final double TOLERANCE = 1e-6;
  /** The file's line number of each row. */
  static final List<Long> LINES;
  /** The rows, each the file's fields. */
  static final List<List<String>> RAW;
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    List<Long> lines = new ArrayList<>();
    List<List<String>> raw = new ArrayList<>();
    try {
      List<String> file = Files.readAllLines(FILE, StandardCharsets.UTF_8);
      for (int i = 1; i < file.size(); i++) {
        if (!file.get(i).isBlank()) {
          lines.add((long) i + 1);
          raw.add(List.of(file.get(i).split(",", -1)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LINES = Collections.unmodifiableList(lines);
    RAW = Collections.unmodifiableList(raw);
  }

  private AdultRows() {}

  /** A predictions file's column by line number. */
  static Map<Long, Double> readPredictions(Path csv, String column) throws IOException {
    List<String> rows = Files.readAllLines(csv);
    List<String> header = List.of(rows.get(0).split(","));
    int line = header.indexOf("line");
    int value = header.indexOf(column);
    Map<Long, Double> out = new HashMap<>();
    for (String r : rows.subList(1, rows.size())) {
      String[] f = r.split(",");
      out.put(Long.parseLong(f[line]), Double.parseDouble(f[value]));
    }
    return out;
  }

  /** A {@code dataframe_split} body of rows {@code from} to {@code to}. */
  static String body(int from, int to) throws IOException {
    return JSON.writeValueAsString(Map.of("dataframe_split", Map.of("columns", COLUMNS, "data", RAW.subList(from, to))));
  }

  /** Scores every row through the server at {@code base}, 1,000 rows a request, by line. */
  static Map<Long, Double> scoreOverHttp(URI base) throws Exception {
    Map<Long, Double> out = new HashMap<>();
    for (int from = 0; from < RAW.size(); from += 1000) {
      int to = Math.min(RAW.size(), from + 1000);
      HttpResponse<String> r = ServerProcess.HTTP.send(HttpRequest.newBuilder(base.resolve("/invocations")).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body(from, to))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode p = JSON.readTree(r.body()).get("predictions");
      assertEquals(to - from, p.size());
      for (int i = 0; i < p.size(); i++) {
        out.put(LINES.get(from + i), p.get(i).asDouble());
      }
    }
    return out;
  }

  /** Every row of {@code reference} is in {@code got} within {@link #TOLERANCE}; prints the largest difference. */
  static void assertAgree(String way, Map<Long, Double> reference, Map<Long, Double> got) {
    assertEquals(reference.size(), got.size(), way + ": rows");
    double worst = 0;
    for (Map.Entry<Long, Double> e : reference.entrySet()) {
      Double g = got.get(e.getKey());
      assertTrue(g != null, way + ": line " + e.getKey() + " missing");
      worst = Math.max(worst, Math.abs(g - e.getValue()));
    }
    System.out.printf("parity %-36s %d rows, max |diff| %.3g%n", way, got.size(), worst);
    assertTrue(worst <= TOLERANCE, way + ": max difference " + worst);
  }
}
