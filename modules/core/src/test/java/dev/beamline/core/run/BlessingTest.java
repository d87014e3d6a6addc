package dev.beamline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.core.spec.PipelineSpec.BlessingSpec;
import dev.beamline.core.spec.PipelineSpec.Bound;
import dev.beamline.core.spec.PipelineSpec.Change;
import dev.beamline.scoring.Bundle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlessingTest {
  private static final BlessingSpec SPEC = new BlessingSpec(Map.of("auc", new Bound(0.92, null), "logloss", new Bound(null, 0.3)),
      Map.of("auc", new Change(true, 0.002), "logloss", new Change(false, 0.01)), "champion");

  private static Blessing.Champion found() {
    Bundle bundle = new Bundle(Path.of("m"), new dev.beamline.features.FeatureTransform(
        new dev.beamline.spi.data.Schema(List.of()), null, null, List.of()), "xgboost", "model.ubj", new byte[0], Map.of(),
        Map.of("run_id", "abc"));
    return new Blessing.Champion("models:/m@champion", bundle, "3", null, false, false);
  }

  @Test
  void aModelAsGoodAsTheChampionWithinTheTolerancesIsBlessedAndMovesTheAlias() {
    Blessing b = Blessing.judge(SPEC, Map.of("auc", 0.9285, "logloss", 0.28), found(), Map.of("auc", 0.9300, "logloss", 0.275), false);
    assertTrue(b.blessed(), b.reasons().toString());
    assertTrue(b.movesChampion());
    assertEquals(4, b.checks().size());
    assertTrue(b.reasons().contains("auc 0.9285 against the champion's 0.93 (version 3): worse by 0.0015, within the 0.002 allowed"),
        b.reasons().toString());
    assertEquals("abc", b.champion().get("runId"));
    assertEquals("true", b.tags().get("beamline.blessed"));
  }

  @Test
  void aModelWorseThanTheChampionBeyondATolerancePassingItsThresholdsIsNotBlessed() {
    Blessing b = Blessing.judge(SPEC, Map.of("auc", 0.9250, "logloss", 0.28), found(), Map.of("auc", 0.9300, "logloss", 0.275), false);
    assertFalse(b.blessed());
    assertFalse(b.movesChampion());
    assertTrue(b.reasons().contains("auc 0.925 against the champion's 0.93 (version 3): worse by 0.005, more than the 0.002 allowed: not blessed"),
        b.reasons().toString());
    assertTrue(b.reasons().contains("auc 0.925 is at least the threshold 0.92"), b.reasons().toString());
    assertEquals(1, b.checks().stream().filter(c -> !(Boolean) c.get("passed")).count());
  }

  @Test
  void theFirstModelIsJudgedByTheThresholdsAloneAndAnUndefinedMetricFails() {
    Blessing.Champion none = new Blessing.Champion("models:/m@champion", null, null, "no champion yet", false, false);
    assertTrue(Blessing.judge(SPEC, Map.of("auc", 0.93, "logloss", 0.2), none, Map.of(), false).movesChampion());
    Blessing undefined = Blessing.judge(SPEC, Map.of("auc", Double.NaN, "logloss", 0.2), none, Map.of(), false);
    assertFalse(undefined.blessed());
    assertTrue(undefined.reasons().contains("auc is undefined on the test split: not blessed"), undefined.reasons().toString());
    Blessing.Champion failed = new Blessing.Champion("models:/m@champion", null, null, "the champion could not be fetched: refused", true, false);
    assertFalse(Blessing.judge(SPEC, Map.of("auc", 0.95, "logloss", 0.2), failed, Map.of(), false).blessed(),
        "a champion that may exist but could not be scored blesses nothing");
    Blessing.Champion unknown = new Blessing.Champion("models:/m@champion", null, null, "no tracking server", false, true);
    Blessing offline = Blessing.judge(SPEC, Map.of("auc", 0.95, "logloss", 0.2), unknown, Map.of(), false);
    assertTrue(offline.blessed());
    assertFalse(offline.movesChampion(), "without a server to compare with, the alias waits");
    assertFalse(Blessing.judge(SPEC, Map.of("auc", 0.95, "logloss", 0.2), none, Map.of(), true).blessed(), "data that failed its schema");
  }
}
