package dev.beamline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretMasksTest {
  @Test
  void masksSecretValuesInTheSpecAndTheOverridesOnly() {
    Map<String, Object> resolved = Map.of("sources", Map.of("db", Map.of("type", "jdbc", "password", "hunter2")),
        "trainer", Map.of("type", "xgboost"));
    Set<String> secrets = Set.of("sources.db.password");
    Map<String, Object> masked = SecretMasks.mask(resolved, secrets);
    assertEquals("****", ((Map<?, ?>) ((Map<?, ?>) masked.get("sources")).get("db")).get("password"));
    assertEquals("jdbc", ((Map<?, ?>) ((Map<?, ?>) masked.get("sources")).get("db")).get("type"));
    assertEquals("hunter2", ((Map<?, ?>) ((Map<?, ?>) resolved.get("sources")).get("db")).get("password"), "original untouched");
    assertEquals(List.of("sources.db.password=****", "trainer.rounds=5"),
        SecretMasks.maskOverrides(List.of("sources.db.password=hunter2", "trainer.rounds=5"), secrets));
  }

  @Test
  void aSecretInsideAMapAnOverrideSetsIsMaskedToo() {
    Set<String> secrets = Set.of("sources.db.password", "sources.other.password");
    assertEquals(List.of("sources={\"db\":{\"type\":\"jdbc\",\"password\":\"****\"},\"csv\":{\"path\":\"a.csv\"}}",
        "sources.db={\"password\":\"****\",\"table\":\"t\"}", "sources.db.table=t"),
        SecretMasks.maskOverrides(List.of("sources={db: {type: jdbc, password: hunter2}, csv: {path: a.csv}}",
            "sources.db={password: 'hunter2', table: t}", "sources.db.table=t"), secrets));
    assertEquals(List.of("sources=****"), SecretMasks.maskOverrides(List.of("sources={db: [hunter2"), secrets),
        "an override that is not YAML is masked whole");
  }
}
