package dev.beamline.features.steps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading a step's recorded config and state, with errors that name the entry at fault. */
final class StepState {
  private StepState() {}

  static double number(Map<String, Object> map, String key, String step) {
    Object v = map.get(key);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new IllegalArgumentException(step + ": state/config entry '" + key + "' must be a number, found " + v);
  }

  static double number(Map<String, Object> map, String key, String step, double fallback) {
    return map.get(key) == null ? fallback : number(map, key, step);
  }

  static String text(Map<String, Object> map, String key, String fallback) {
    Object v = map.get(key);
    return v == null ? fallback : String.valueOf(v);
  }

  static boolean bool(Map<String, Object> map, String key, boolean fallback) {
    Object v = map.get(key);
    return v == null ? fallback : v instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(v));
  }

  static List<String> texts(Map<String, Object> map, String key, String step) {
    Object v = map.get(key);
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException(step + ": state entry '" + key + "' must be a list, found " + v);
    }
    List<String> out = new ArrayList<>(list.size());
    list.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }

  static double[] numbers(Map<String, Object> map, String key, String step) {
    Object v = map.get(key);
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException(step + ": state entry '" + key + "' must be a list of numbers, found " + v);
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Number n)) {
        throw new IllegalArgumentException(step + ": state entry '" + key + "'[" + i + "] is not a number");
      }
      out[i] = n.doubleValue();
    }
    return out;
  }

  static List<Double> boxed(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double d : values) {
      out.add(d);
    }
    return out;
  }

  static double asNumber(Object value) {
    return value == null ? Double.NaN : ((Number) value).doubleValue();
  }
}
