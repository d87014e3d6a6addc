package dev.beamline.plugins.libsvm;

import dev.beamline.spi.data.SparseVector;
import java.util.Arrays;

/** One parsed LibSVM line: {@code label index:value index:value ...}, or why it is malformed. */
record LibSvmLine(double label, SparseVector features, String problem) {

  static LibSvmLine parse(String line) {
    String[] tokens = line.trim().split("\\s+");
    double label;
    try {
      label = Double.parseDouble(tokens[0]);
    } catch (NumberFormatException e) {
      return failed("label '" + tokens[0] + "' is not a number");
    }
    int n = tokens.length - 1;
    int[] idx = new int[n];
    float[] val = new float[n];
    for (int i = 0; i < n; i++) {
      String t = tokens[i + 1];
      int colon = t.indexOf(':');
      if (colon <= 0 || colon == t.length() - 1) {
        return failed("token " + (i + 2) + " '" + t + "' is not index:value");
      }
      try {
        idx[i] = Integer.parseInt(t, 0, colon, 10);
        val[i] = Float.parseFloat(t.substring(colon + 1));
      } catch (NumberFormatException e) {
        return failed("token " + (i + 2) + " '" + t + "' is not index:value with an integer index and a number");
      }
      if (idx[i] < 0) {
        return failed("token " + (i + 2) + " '" + t + "' has a negative index");
      }
      if (i > 0 && idx[i] <= idx[i - 1]) {
        return sorted(label, idx, val);
      }
    }
    return new LibSvmLine(label, new SparseVector(idx, val), null);
  }

  /** Indices out of order: sort them, and reject repeats. */
  private static LibSvmLine sorted(double label, int[] idx, float[] val) {
    Integer[] order = new Integer[idx.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Integer.compare(idx[a], idx[b]));
    int[] si = new int[idx.length];
    float[] sv = new float[idx.length];
    for (int i = 0; i < order.length; i++) {
      si[i] = idx[order[i]];
      sv[i] = val[order[i]];
      if (i > 0 && si[i] == si[i - 1]) {
        return failed("index " + si[i] + " appears twice");
      }
    }
    return new LibSvmLine(label, new SparseVector(si, sv), null);
  }

  private static LibSvmLine failed(String problem) {
    return new LibSvmLine(Double.NaN, null, problem);
  }
}
