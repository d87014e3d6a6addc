package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.flink.util.MathUtils;
import org.junit.jupiter.api.Test;

/** Rows are shared evenly and the same way every time; every worker's key lands on a task of its own. */
class TrainingGroupTest {
  @Test
  void theHashIsFlinks() {
    for (int code : new int[] {0, 1, -1, 31, 1_000_003, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x7fff_0000, -123_456_789}) {
      assertEquals(MathUtils.murmurHash(code), TrainingGroup.murmurHash(code), "murmurHash(" + code + ")");
    }
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < 10_000; i++) {
      int code = r.nextInt();
      assertEquals(MathUtils.murmurHash(code), TrainingGroup.murmurHash(code));
    }
  }

  @Test
  void everyWorkerGetsATaskOfItsOwnAtEveryParallelism() {
    for (int parallelism = 1; parallelism <= 64; parallelism++) {
      for (int workers = 2; workers <= parallelism; workers++) {
        int[] keys = TrainingGroup.keysFor(workers, parallelism);
        Set<Integer> distinct = new HashSet<>();
        for (int p = 0; p < workers; p++) {
          assertEquals(p, TrainingGroup.flinkTask(keys[p], parallelism), "worker " + p + " of " + workers + " at " + parallelism);
          distinct.add(keys[p]);
        }
        assertEquals(workers, distinct.size());
      }
    }
    assertArrayEquals(new int[] {0, 1, 2}, TrainingGroup.keysFor(3, 0), "the DirectRunner: a group per key");
    assertThrows(IllegalArgumentException.class, () -> TrainingGroup.keysFor(3, 2));
  }

  @Test
  void rowsAreSharedEvenlyByIdAlone() {
    int workers = 3;
    int[] counts = new int[workers];
    for (long id = 0; id < 300_000; id++) {
      counts[TrainingGroup.partition(id, workers)]++;
    }
    for (int c : counts) {
      assertTrue(Math.abs(c - 100_000) < 1_500, java.util.Arrays.toString(counts));
    }
    TrainingGroup group = new TrainingGroup(3, TrainingGroup.keysFor(3, 4), Map.of("dmlc_tracker_port", "1"), "127.0.0.1:1", 30);
    assertEquals(TrainingGroup.partition(987_654_321L, 3), group.partition(987_654_321L));
    assertEquals(2, group.workerOf(group.key(2)));
    assertEquals(1, group.member(1).rank());
  }
}
