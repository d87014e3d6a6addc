package dev.beamline.core.beam;

/**
 * A seeded hash of a row id to [0, 1): the same on every runner and JVM (SplitMix64 finalizer), so that
 * random splits are reproducible and independent of partitioning.
 */
public final class SeededHash {
  private SeededHash() {}

  /** A uniform number in [0, 1) for this seed, salt and id. */
  public static double unit(long seed, long salt, long id) {
    return (mix(id + seed * 0x9E3779B97F4A7C15L + salt * 0xC2B2AE3D27D4EB4FL) >>> 11) * 0x1.0p-53;
  }

  /** SplitMix64's finalizer: every bit of {@code z} spread over every bit of the result. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
