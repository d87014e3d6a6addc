package dev.beamline.core.beam;

import dev.beamline.spi.model.Collective;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.util.CoderUtils;

/**
 * The workers that train one model together: how many, the tracker they meet at, and how the training rows and
 * the runner's tasks are shared among them. Row {@code id} belongs to worker {@link #partition(long)}: a function of
 * the id alone, so that each worker holds the same rows on every runner and in every run. The rows of worker
 * {@code p} are grouped under the key {@link #key(int)}, chosen so that the runner gives every worker a task of its
 * own ({@link #keysFor}).
 *
 * @param workers how many, at least 2
 * @param keys the grouping key of each worker
 * @param tracker the tracker's arguments for the workers
 * @param address the tracker's address, for messages
 * @param timeoutSeconds how long a worker waits for the tracker or a peer
 */
public record TrainingGroup(int workers, int[] keys, Map<String, String> tracker, String address, int timeoutSeconds)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  public TrainingGroup {
    if (workers < 2 || keys.length != workers) {
      throw new IllegalArgumentException(workers + " workers, " + keys.length + " keys");
    }
    keys = keys.clone();
    tracker = Map.copyOf(tracker);
    Objects.requireNonNull(address, "address");
  }

  /** The worker that trains on row {@code id}. */
  public int partition(long id) {
    return partition(id, workers);
  }

  /** The worker of {@code workers} that trains on row {@code id}: a mix of the id's bits ({@link SeededHash#mix}), modulo. */
  static int partition(long id, int workers) {
    return (int) Long.remainderUnsigned(SeededHash.mix(id * 0x9E3779B97F4A7C15L), workers);
  }

  /** The grouping key of worker {@code p}. */
  public int key(int p) {
    return keys[p];
  }

  /** The worker whose grouping key is {@code key}. */
  int workerOf(int key) {
    for (int p = 0; p < keys.length; p++) {
      if (keys[p] == key) {
        return p;
      }
    }
    throw new IllegalArgumentException("no worker has the key " + key);
  }

  /** Worker {@code p}'s place in the group, as its trainer takes it. */
  Collective.Member member(int p) {
    return new Collective.Member(p, workers, tracker, address, timeoutSeconds);
  }

  /**
   * Keys for {@code workers} workers that the runner hands to different tasks. On the DirectRunner each key is a
   * group of its own, run on a thread of its own: 0, 1, .... Flink's batch runner sends a group to task
   * {@code murmur(hash(encoded key)) mod parallelism} ({@link #flinkTask}): worker {@code p} gets the smallest key that
   * lands on task {@code p}, so no two workers share a task (which would run them one after the other, each waiting
   * for the other).
   *
   * @param parallelism the Flink job's parallelism, or 0 on the DirectRunner
   */
  public static int[] keysFor(int workers, int parallelism) {
    int[] keys = new int[workers];
    if (parallelism == 0) {
      Arrays.setAll(keys, p -> p);
      return keys;
    }
    if (workers > parallelism) {
      throw new IllegalArgumentException(workers + " workers need at least as many tasks; the parallelism is " + parallelism);
    }
    Arrays.fill(keys, -1);
    int found = 0;
    for (int k = 0; found < workers; k++) {
      int task = flinkTask(k, parallelism);
      if (task < workers && keys[task] < 0) {
        keys[task] = k;
        found++;
      }
    }
    return keys;
  }

  /** The task of Flink's batch runner that groups key {@code key} at {@code parallelism}. */
  static int flinkTask(int key, int parallelism) {
    byte[] encoded;
    try {
      encoded = CoderUtils.encodeToByteArray(VarIntCoder.of(), key);
    } catch (CoderException e) {
      throw new IllegalStateException(e);
    }
    return murmurHash(Arrays.hashCode(encoded)) % parallelism;
  }

  /** Flink's {@code MathUtils.murmurHash(int)}: one round of MurmurHash3 on an int, made non-negative. */
  static int murmurHash(int code) {
    code *= 0xcc9e2d51;
    code = Integer.rotateLeft(code, 15);
    code *= 0x1b873593;
    code = Integer.rotateLeft(code, 13);
    code = code * 5 + 0xe6546b64;
    code ^= 4;
    code ^= code >>> 16;
    code *= 0x85ebca6b;
    code ^= code >>> 13;
    code *= 0xc2b2ae35;
    code ^= code >>> 16;
    if (code >= 0) {
      return code;
    }
    return code != Integer.MIN_VALUE ? -code : 0;
  }
}
