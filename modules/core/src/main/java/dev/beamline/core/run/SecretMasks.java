package dev.beamline.core.run;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plan.RunPlan.PlannedSource;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.beamline.core.json.Json;
import dev.beamline.core.spec.YamlDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keeps secrets out of what a run records: values of keys a stage declares secret are replaced by
 * {@code ****} in the resolved spec and in the {@code --set} overrides written to {@code run.json}.
 */
final class SecretMasks {
  static final String MASK = "****";

  private SecretMasks() {}

  /** The key paths (e.g. {@code sources.db.password}) whose values are secret. */
  static Set<String> secretPaths(RunPlan plan) {
    Set<String> paths = new TreeSet<>();
    for (PlannedSource s : plan.sources()) {
      s.displayConfig().forEach((k, v) -> {
        if (MASK.equals(v)) {
          paths.add("sources." + s.name() + "." + k);
        }
      });
    }
    plan.trainer().config().displayValues().forEach((k, v) -> {
      if (MASK.equals(v)) {
        paths.add("trainer." + k);
      }
    });
    plan.evaluator().config().displayValues().forEach((k, v) -> {
      if (MASK.equals(v)) {
        paths.add("evaluator." + k);
      }
    });
    if (plan.tracker() != null) {
      plan.tracker().config().displayValues().forEach((k, v) -> {
        if (MASK.equals(v)) {
          paths.add("tracking.tracker." + k);
        }
      });
    }
    return paths;
  }

  /** A copy of the resolved spec with secret values masked. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> mask(Map<String, Object> resolved, Set<String> secretPaths) {
    Map<String, Object> copy = (Map<String, Object>) YamlDocument.copy(resolved);
    secretPaths.forEach(path -> maskAt(copy, path.split("\\.")));
    return copy;
  }

  /**
   * The overrides with the values of secret keys masked: a secret set by its own key, or inside a map an override sets
   * (e.g. {@code sources={train: {type: jdbc, password: ...}}}), which is then written back as JSON (YAML too).
   */
  static List<String> maskOverrides(List<String> overrides, Set<String> secretPaths) {
    List<String> out = new ArrayList<>();
    for (String o : overrides) {
      int eq = o.indexOf('=');
      String key = eq < 0 ? o : o.substring(0, eq).trim();
      if (secretPaths.contains(key)) {
        out.add(key + "=" + MASK);
      } else if (eq > 0 && secretPaths.stream().anyMatch(p -> p.startsWith(key + "."))) {
        out.add(key + "=" + maskedValue(key, o.substring(eq + 1), secretPaths));
      } else {
        out.add(o);
      }
    }
    return out;
  }

  /** The value of an override that holds secrets, as JSON with them masked (just the mask if it cannot be read). */
  private static String maskedValue(String key, String text, Set<String> secretPaths) {
    Object value;
    try {
      value = YamlDocument.value(text);
    } catch (JsonProcessingException e) {
      return MASK;
    }
    for (String path : secretPaths) {
      if (path.startsWith(key + ".")) {
        maskAt(value, path.substring(key.length() + 1).split("\\."));
      }
    }
    return Json.compact(value);
  }

  /** Replaces the value at a key path of maps by the mask, when it is there. */
  @SuppressWarnings("unchecked")
  private static void maskAt(Object root, String[] parts) {
    Object node = root;
    for (int i = 0; i < parts.length - 1 && node instanceof Map; i++) {
      node = ((Map<String, Object>) node).get(parts[i]);
    }
    if (node instanceof Map<?, ?> m && m.containsKey(parts[parts.length - 1])) {
      ((Map<String, Object>) node).put(parts[parts.length - 1], MASK);
    }
  }

}
