package dev.beamline.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A column's distribution from its summary in {@code statistics.json}, as the report draws it. */
final class Histograms {
  private Histograms() {}

  /** A numeric histogram's bin centres and each bin's share of the counted rows: {centres, shares}. */
  static double[][] numeric(JsonNode histogram) {
    JsonNode edges = histogram.path("edges");
    JsonNode counts = histogram.path("counts");
    double total = 0;
    for (JsonNode c : counts) {
      total += c.asDouble();
    }
    double[] centres = new double[counts.size()];
    double[] shares = new double[counts.size()];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = (edges.get(i).asDouble() + edges.get(i + 1).asDouble()) / 2;
      shares[i] = total == 0 ? 0 : counts.get(i).asDouble() / total;
    }
    return new double[][] {centres, shares};
  }

  /** The column's most frequent values (its summary's {@code top}), at most {@code limit}. */
  static List<String> topValues(JsonNode column, int limit) {
    List<String> values = new ArrayList<>();
    for (JsonNode t : column.path("top")) {
      if (values.size() < limit) {
        values.add(t.path("value").asText());
      }
    }
    return values;
  }

  /** The share of the column's counted rows that has each of {@code values} (0 for a value it lacks). */
  static List<Double> shares(JsonNode column, List<String> values) {
    double count = column.path("count").asDouble();
    JsonNode exact = column.path("values");
    List<Double> out = new ArrayList<>();
    for (String v : values) {
      double n = exact.isObject() ? exact.path(v).asDouble(0) : countInTop(column, v);
      out.add(count == 0 ? 0 : n / count);
    }
    return out;
  }

  private static double countInTop(JsonNode column, String value) {
    for (JsonNode t : column.path("top")) {
      if (t.path("value").asText().equals(value)) {
        return t.path("count").asDouble();
      }
    }
    return 0;
  }
}
