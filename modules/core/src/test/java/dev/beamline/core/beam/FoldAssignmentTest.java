package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class FoldAssignmentTest {
  /** 1,000 rows of class a and 101 of class b, ids interleaved. */
  private static Map<String, long[]> classes() {
    Map<String, long[]> strata = new LinkedHashMap<>();
    strata.put("a", LongStream.range(0, 1000).map(i -> i * 2).toArray());
    strata.put("b", LongStream.range(0, 101).map(i -> i * 2 + 1).toArray());
    return strata;
  }

  @Test
  void stratifiedFoldsHoldEachClassInProportionToWithinARow() {
    FoldAssignment a = FoldAssignment.deal(classes(), 3, false, 42);
    int[][] perClass = new int[2][3];
    for (long id : a.ids()) {
      perClass[(int) (id % 2)][a.fold(id)]++;
    }
    for (int[] c : perClass) {
      int max = Arrays.stream(c).max().orElseThrow();
      int min = Arrays.stream(c).min().orElseThrow();
      assertTrue(max - min <= 1, Arrays.toString(c));
    }
    int[] sizes = a.sizes();
    assertTrue(Arrays.stream(sizes).max().orElseThrow() - Arrays.stream(sizes).min().orElseThrow() <= 1, Arrays.toString(sizes));
    assertEquals(-1, a.fold(5000), "a row that was not dealt");
  }

  @Test
  void theSameSeedDealsTheSameFoldsWhateverOrderTheRowsCameIn() {
    FoldAssignment a = FoldAssignment.deal(classes(), 5, false, 7);
    Map<String, long[]> shuffled = new HashMap<>();
    classes().forEach((k, ids) -> {
      long[] reversed = new long[ids.length];
      for (int i = 0; i < ids.length; i++) {
        reversed[i] = ids[ids.length - 1 - i];
      }
      shuffled.put(k, reversed);
    });
    FoldAssignment b = FoldAssignment.deal(shuffled, 5, false, 7);
    assertArrayEquals(a.ids(), b.ids());
    assertArrayEquals(a.folds(), b.folds());
    FoldAssignment other = FoldAssignment.deal(classes(), 5, false, 8);
    assertFalse(Arrays.equals(a.folds(), other.folds()), "another seed, other folds");
  }

  @Test
  void groupedFoldsKeepEachGroupTogetherAndBalanceTheSizes() {
    Map<String, long[]> groups = new HashMap<>();
    long id = 0;
    for (int g = 0; g < 40; g++) {
      long[] ids = new long[1 + g % 7];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = id++;
      }
      groups.put("user" + g, ids);
    }
    FoldAssignment a = FoldAssignment.deal(groups, 4, true, 42);
    for (long[] ids : groups.values()) {
      Set<Integer> folds = new HashSet<>();
      for (long i : ids) {
        folds.add(a.fold(i));
      }
      assertEquals(1, folds.size(), "a group in one fold");
    }
    int[] sizes = a.sizes();
    assertTrue(Arrays.stream(sizes).max().orElseThrow() - Arrays.stream(sizes).min().orElseThrow() <= 7, Arrays.toString(sizes));
  }
}
