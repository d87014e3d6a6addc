package dev.beamline.plugins.kmeans;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A k-means model: the clusters' centres in the model's feature space, written as {@code model.json}
 * ({@code {"format": "beamline-kmeans", "version": 1, "features": [...], "centres": [[...], ...]}}), which Beamline's
 * Python module reads as well. A row belongs to the nearest centre (Euclidean; ties to the lower cluster), a missing
 * feature (NaN) left out of the distance.
 *
 * @param features the feature names, in column order
 * @param centres one array of {@code features.size()} values per cluster
 */
record Centres(List<String> features, double[][] centres) {
  static final String FORMAT = "beamline-kmeans";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  int k() {
    return centres.length;
  }

  /** The nearest centre to a row and the squared distance to it. */
  void assign(float[] row, int offset, float[] out) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < centres.length; c++) {
      double[] centre = centres[c];
      double sum = 0;
      for (int f = 0; f < centre.length; f++) {
        double d = row[offset + f] - centre[f];
        if (!Double.isNaN(d)) {
          sum += d * d;
        }
      }
      if (sum < bestDistance) {
        best = c;
        bestDistance = sum;
      }
    }
    out[0] = best;
    out[1] = (float) bestDistance;
  }

  byte[] toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("format", FORMAT);
    out.put("version", 1);
    out.put("features", features);
    out.put("centres", centres);
    try {
      return JSON.writeValueAsBytes(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the centres: " + e.getMessage(), e);
    }
  }

  static Centres fromJson(byte[] bytes) throws IOException {
    Map<?, ?> m = JSON.readValue(bytes, Map.class);
    if (!FORMAT.equals(m.get("format"))) {
      throw new IOException("not a k-means model: its format is " + m.get("format") + ", expected " + FORMAT);
    }
    List<String> features = new ArrayList<>();
    ((List<?>) m.get("features")).forEach(f -> features.add(String.valueOf(f)));
    List<?> rows = (List<?>) m.get("centres");
    double[][] centres = new double[rows.size()][];
    for (int c = 0; c < centres.length; c++) {
      List<?> row = (List<?>) rows.get(c);
      centres[c] = new double[row.size()];
      for (int f = 0; f < row.size(); f++) {
        centres[c][f] = ((Number) row.get(f)).doubleValue();
      }
      if (centres[c].length != features.size()) {
        throw new IOException("k-means model: centre " + c + " has " + centres[c].length + " values for " + features.size() + " features");
      }
    }
    return new Centres(features, centres);
  }
}
