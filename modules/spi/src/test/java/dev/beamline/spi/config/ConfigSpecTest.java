package dev.beamline.spi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSpecTest {
  private final ConfigSpec spec = ConfigSpec.of(
      ConfigKey.ofInt("rounds").withDefault(100),
      ConfigKey.ofDouble("eta").withDefault(0.3),
      ConfigKey.ofString("mode").withDefault("a").withAllowed("a", "b"),
      ConfigKey.ofStringList("tokens").withDefault(List.of("?")),
      ConfigKey.ofString("token").asSecret(),
      ConfigKey.ofString("path").asRequired().describedAs("input file"));

  @Test
  void fillsDefaultsAndConvertsTypes() {
    StageConfig c = spec.validate("p.yaml: s", Map.of("path", "x", "rounds", "7", "eta", 1, "tokens", "NA"));
    assertEquals(7, c.getInt("rounds"));
    assertEquals(1.0, c.getDouble("eta"));
    assertEquals("a", c.getString("mode"));
    assertEquals(List.of("NA"), c.getStringList("tokens"));
  }

  @Test
  void unknownKeyIsNamedWithTheAllowedOnes() {
    ConfigException e = assertThrows(ConfigException.class, () -> spec.validate("p.yaml: s", Map.of("path", "x", "round", 3)));
    assertEquals("p.yaml: s: unknown key 'round'; allowed keys: eta, mode, path, rounds, token, tokens", e.getMessage());
  }

  @Test
  void wrongTypesAndValuesAreNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> spec.validate("s", Map.of("path", "x", "rounds", 2.5)));
    assertTrue(e.getMessage().startsWith("s.rounds: '2.5' is not a valid int"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> spec.validate("s", Map.of("path", "x", "mode", "c")));
    assertEquals("s.mode: 'c' is not allowed; use one of a, b", e.getMessage());
  }

  @Test
  void missingRequiredKeyIsNamed() {
    ConfigException e = assertThrows(ConfigException.class, () -> spec.validate("s", Map.of()));
    assertEquals("s: missing required key 'path' (input file)", e.getMessage());
  }

  @Test
  void secretsAreMaskedEverywhereButTheGetter() {
    StageConfig c = spec.validate("s", Map.of("path", "x", "token", "hunter2"));
    assertEquals("hunter2", c.getString("token"));
    assertFalse(c.toString().contains("hunter2"));
    assertEquals("****", c.displayValues().get("token"));
  }

  @Test
  void invalidDefaultsFailWhenTheSpecIsBuilt() {
    assertThrows(ConfigException.class, () -> ConfigSpec.of(ConfigKey.ofInt("n").withDefault("many")));
    assertThrows(IllegalArgumentException.class, () -> ConfigSpec.of(ConfigKey.ofInt("n"), ConfigKey.ofInt("n")));
  }
}
