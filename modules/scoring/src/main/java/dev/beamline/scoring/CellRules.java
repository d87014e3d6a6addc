package dev.beamline.scoring;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How raw text cells are read, as the source the model was trained from read them: which strings mean a
 * missing value and whether spaces around a value are cut. A model trained from a CSV file with
 * {@code missingValues: ["?"]} and {@code trim: true} reads {@code " ?"} as missing here too.
 *
 * @param missingValues the strings that mean a missing value
 * @param trim whether spaces around text are cut
 */
public record CellRules(Set<String> missingValues, boolean trim) {
  /** What a source reads by default: {@code ""}, {@code NA} and {@code ?} are missing; no trimming. */
  public static final CellRules DEFAULT = new CellRules(Set.of("", "NA", "?"), false);

  public CellRules {
    missingValues = Set.copyOf(missingValues);
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
    return new CellRules(missing, trim);
  }

  /** The text as the source would have read it: trimmed when asked, {@code null} when it means missing. */
  public String text(String raw) {
    String s = trim ? raw.strip() : raw;
    return missingValues.contains(s) ? null : s;
  }
}
