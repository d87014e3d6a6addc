package dev.beamline.core.run;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plan.RunPlan.PlannedSource;
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
    for (String path : secretPaths) {
      String[] parts = path.split("\\.");
      Object node = copy;
      for (int i = 0; i < parts.length - 1 && node instanceof Map; i++) {
        node = ((Map<String, Object>) node).get(parts[i]);
      }
      if (node instanceof Map<?, ?> m && m.containsKey(parts[parts.length - 1])) {
        ((Map<String, Object>) node).put(parts[parts.length - 1], MASK);
      }
    }
    return copy;
  }

  /** The overrides with the values of secret keys masked. */
  static List<String> maskOverrides(List<String> overrides, Set<String> secretPaths) {
    List<String> out = new ArrayList<>();
    for (String o : overrides) {
      int eq = o.indexOf('=');
      String key = eq < 0 ? o : o.substring(0, eq).trim();
      out.add(secretPaths.contains(key) ? key + "=" + MASK : o);
    }
    return out;
  }
}
