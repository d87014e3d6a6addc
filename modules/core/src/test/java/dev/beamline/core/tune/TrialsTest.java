package dev.beamline.core.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.core.spec.TuningSpec;
import dev.beamline.core.spec.TuningSpec.Dimension;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialsTest {
  private static TuningSpec spec(String strategy, int trials, Map<String, Dimension> space) {
    return new TuningSpec(strategy, trials, 0, "auc", true, 3, true, null, space, 0, "tuning");
  }

  private static Map<String, Dimension> space() {
    Map<String, Dimension> space = new LinkedHashMap<>();
    space.put("rounds", new Dimension("intRange", null, 50, 60, "tuning.space.rounds"));
    space.put("params.eta", new Dimension("logUniform", null, 0.01, 0.3, "tuning.space.params.eta"));
    space.put("params.subsample", new Dimension("uniform", null, 0.5, 1.0, "tuning.space.params.subsample"));
    space.put("params.max_depth", new Dimension("choice", List.of(3, 6, 9), Double.NaN, Double.NaN, "tuning.space.params.max_depth"));
    return space;
  }

  @Test
  void randomTrialsComeFromTheSeedAloneAndStayInTheirRanges() {
    List<Map<String, Object>> a = Trials.of(spec("random", 50, space()), 42);
    assertEquals(a, Trials.of(spec("random", 50, space()), 42));
    assertNotEquals(a, Trials.of(spec("random", 50, space()), 43));
    assertEquals(50, a.size());
    for (Map<String, Object> t : a) {
      int rounds = (Integer) t.get("rounds");
      double eta = (Double) t.get("params.eta");
      double subsample = (Double) t.get("params.subsample");
      assertTrue(rounds >= 50 && rounds <= 60, t.toString());
      assertTrue(eta >= 0.01 && eta <= 0.3, t.toString());
      assertTrue(subsample >= 0.5 && subsample <= 1.0, t.toString());
      assertTrue(List.of(3, 6, 9).contains(t.get("params.max_depth")), t.toString());
      assertEquals(eta, Trials.round(eta), "six significant digits");
    }
    // Log-uniform: about as many draws below the geometric middle (0.055) as above it.
    long low = a.stream().filter(t -> (Double) t.get("params.eta") < Math.sqrt(0.01 * 0.3)).count();
    assertTrue(low > 10 && low < 40, "draws below the geometric middle: " + low);
  }

  @Test
  void aGridRunsEveryCombinationLastKeyFastestOrASampleWithoutRepeats() {
    Map<String, Dimension> space = new LinkedHashMap<>();
    space.put("rounds", new Dimension("intRange", null, 1, 2, "k"));
    space.put("params.max_depth", new Dimension("choice", List.of(3, 6, 9), Double.NaN, Double.NaN, "k"));
    List<Map<String, Object>> all = Trials.of(spec("grid", 0, space), 1);
    assertEquals(6, all.size());
    assertEquals(Map.of("rounds", 1, "params.max_depth", 3), all.get(0));
    assertEquals(Map.of("rounds", 1, "params.max_depth", 6), all.get(1));
    assertEquals(Map.of("rounds", 2, "params.max_depth", 9), all.get(5));
    List<Map<String, Object>> some = Trials.of(spec("grid", 4, space), 1);
    assertEquals(4, some.size());
    assertEquals(4, new HashSet<>(some).size(), "no combination twice");
    assertTrue(all.containsAll(some));
    assertEquals(some, Trials.of(spec("grid", 4, space), 1));
  }

  @Test
  void halvingKeepsATrialInReductionAndRaisesTheRoundsUpToTheTrainers() {
    assertEquals(List.of(List.of(20, 111), List.of(6, 333), List.of(2, 1000)), asLists(Trials.rungs(20, 1000, 3)));
    assertEquals(List.of(List.of(27, 37), List.of(9, 111), List.of(3, 333), List.of(1, 1000)), asLists(Trials.rungs(27, 1000, 3)));
    assertEquals(List.of(List.of(8, 25), List.of(4, 50), List.of(2, 100), List.of(1, 200)), asLists(Trials.rungs(8, 200, 2)));
    assertEquals(List.of(List.of(3, 1), List.of(1, 2)), asLists(Trials.rungs(3, 2, 3)), "at least one round");
  }

  private static List<List<Integer>> asLists(List<int[]> rungs) {
    return rungs.stream().map(r -> List.of(r[0], r[1])).toList();
  }

  @Test
  void noSpaceIsOneTrialOfTheSettingsAsGiven() {
    assertEquals(List.of(Map.of()), Trials.of(spec("random", 0, Map.of()), 42));
  }

  @Test
  void aTrialSetsItsValuesAtTheirPathsWithoutChangingTheBase() {
    Map<String, Object> base = new LinkedHashMap<>();
    base.put("rounds", 100);
    base.put("params", new LinkedHashMap<>(Map.of("eta", 0.05, "subsample", 0.8)));
    Map<String, Object> set = Trials.apply(base, Map.of("rounds", 7, "params.eta", 0.2, "params.gamma", 1));
    assertEquals(7, set.get("rounds"));
    assertEquals(Map.of("eta", 0.2, "subsample", 0.8, "gamma", 1), set.get("params"));
    assertEquals(0.05, ((Map<?, ?>) base.get("params")).get("eta"));
    assertEquals(Map.of("x", 1), Trials.apply(Map.of(), Map.of("params.x", 1)).get("params"));
    assertThrows(IllegalArgumentException.class, () -> Trials.apply(base, Map.of("rounds.x", 1)));
    assertEquals("rounds=7 eta=0.2", Trials.describe(new LinkedHashMap<>(Map.of("rounds", 7))) + " eta=0.2");
  }
}
