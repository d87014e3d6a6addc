package dev.beamline.scoring;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How raw text cells are read, as the source the model was trained from read them: which strings mean a
 * missing value, whether spaces around a value are cut, and which values are read as others. A model trained
 * from a CSV file with {@code missingValues: ["?"]} and {@code trim: true} reads {@code " ?"} as missing here
 * too.
 *
 * @param missingValues the strings that mean a missing value
 * @param trim whether spaces around text are cut
 * @param replace per column, values read as other values (after trimming; null: missing)
 */
public record CellRules(Set<String> missingValues, boolean trim, Map<String, Map<String, String>> replace) {
  /** What a source reads by default: {@code ""}, {@code NA} and {@code ?} are missing; no trimming. */
  public static final CellRules DEFAULT = new CellRules(Set.of("", "NA", "?"), false, Map.of());

  public CellRules {
    missingValues = Set.copyOf(missingValues);
    replace = Map.copyOf(replace);
  }

  /**
   * The rules of a source's recorded settings: its {@code missingValues} and {@code trim} keys where it
   * has them, the defaults otherwise.
   */
  public static CellRules of(Map<String, Object> sourceSettings) {
    Set<String> missing = DEFAULT.missingValues();
    if (sourceSettings.get("missingValues") instanceof List<?> l) {
      missing = new java.util.HashSet<>();
      for (Object o : l) {
        missing.add(String.valueOf(o));
      }
    }
    boolean trim = sourceSettings.get("trim") instanceof Boolean b ? b : DEFAULT.trim();
    Map<String, Map<String, String>> replace = new java.util.HashMap<>();
    if (sourceSettings.get("replace") instanceof Map<?, ?> r) {
      r.forEach((column, values) -> {
        Map<String, String> byValue = new java.util.HashMap<>();
        if (values instanceof Map<?, ?> m) {
          m.forEach((from, to) -> byValue.put(String.valueOf(from), to == null ? null : String.valueOf(to)));
        }
        replace.put(String.valueOf(column), java.util.Collections.unmodifiableMap(byValue));
      });
    }
    return new CellRules(missing, trim, replace);
  }

  /**
   * The text of a cell of {@code column} as the source would have read it: trimmed when asked, replaced when
   * asked, {@code null} when it means missing.
   */
  public String text(String column, String raw) {
    String s = trim ? raw.strip() : raw;
    Map<String, String> r = replace.get(column);
    if (r != null && r.containsKey(s)) {
      s = r.get(s);
    }
    return s == null || missingValues.contains(s) ? null : s;
  }
}
