package dev.beamline.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.StageFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every plugin must satisfy; a plugin's tests extend this (or one of the stage-kind contracts that
 * extend it) and say which plugin they test. Checks: the plugin is found by {@link ServiceLoader}; its
 * stage identifiers are well formed and unique per kind; every declared default is valid; unknown keys are
 * rejected naming the key and the allowed ones; required keys are reported when missing.
 */
public abstract class PluginContract {
  /** The plugin under test. */
  protected abstract BeamlinePlugin plugin();

  /** Every stage the plugin provides. */
  protected final List<StageFactory> stages() {
    List<StageFactory> all = new ArrayList<>();
    all.addAll(plugin().sources());
    all.addAll(plugin().features());
    all.addAll(plugin().trainers());
    all.addAll(plugin().evaluators());
    all.addAll(plugin().trackers());
    return all;
  }

  /** A minimal valid configuration of a stage: the values required keys need. Override for stages with required keys. */
  protected Map<String, Object> requiredValues(StageFactory stage) {
    return Map.of();
  }

  @Test
  public void isFoundByServiceLoader() {
    Set<Class<?>> found = new HashSet<>();
    ServiceLoader.load(BeamlinePlugin.class).forEach(p -> found.add(p.getClass()));
    assertTrue(found.contains(plugin().getClass()),
        plugin().getClass().getName() + " is not listed in META-INF/services/dev.beamline.spi.BeamlinePlugin; found " + found);
  }

  @Test
  public void providesStagesWithWellFormedUniqueIdentifiers() {
    assertFalse(stages().isEmpty(), "the plugin provides no stage");
    Set<String> seen = new HashSet<>();
    for (StageFactory s : stages()) {
      assertTrue(s.id().matches("[a-z][a-z0-9-]*"), "identifier '" + s.id() + "' is not lowercase letters, digits and dashes");
      assertTrue(seen.add(s.kind() + "/" + s.id()), "identifier '" + s.id() + "' is used twice for " + s.kind());
      assertFalse(s.description().isBlank(), s.id() + " has no description");
      assertFalse(s.version().isBlank(), s.id() + " has no version");
    }
  }

  @Test
  public void defaultsAreValidAndUnknownKeysAreRejected() {
    for (StageFactory s : stages()) {
      Map<String, Object> values = new HashMap<>(requiredValues(s));
      s.configSpec().validate(s.id(), values);
      values.put("noSuchKey", 1);
      ConfigException e = assertThrows(ConfigException.class, () -> s.configSpec().validate(s.id(), values),
          s.id() + " accepted an unknown key");
      assertTrue(e.getMessage().contains("noSuchKey"), "the error does not name the key: " + e.getMessage());
      for (ConfigKey k : s.configSpec().keys()) {
        assertTrue(e.getMessage().contains(k.name()), "the error does not list allowed key '" + k.name() + "': " + e.getMessage());
      }
    }
  }

  @Test
  public void missingRequiredKeysAreNamed() {
    for (StageFactory s : stages()) {
      for (ConfigKey k : s.configSpec().keys()) {
        if (!k.required()) {
          continue;
        }
        Map<String, Object> values = new HashMap<>(requiredValues(s));
        values.remove(k.name());
        ConfigException e = assertThrows(ConfigException.class, () -> s.configSpec().validate(s.id(), values));
        assertTrue(e.getMessage().contains(k.name()), e.getMessage());
      }
    }
  }

  @Test
  public void secretsNeverShowInDisplayValues() {
    for (StageFactory s : stages()) {
      Map<String, Object> values = new HashMap<>(requiredValues(s));
      for (ConfigKey k : s.configSpec().keys()) {
        if (k.secret()) {
          values.put(k.name(), "s3cr3t-value");
        }
      }
      String shown = s.configSpec().validate(s.id(), values).toString();
      assertFalse(shown.contains("s3cr3t-value"), s.id() + " shows a secret: " + shown);
      assertEquals(shown, s.configSpec().validate(s.id(), values).displayValues().toString());
    }
  }
}
