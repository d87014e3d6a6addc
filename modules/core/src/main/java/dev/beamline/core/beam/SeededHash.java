package dev.beamline.core.beam;

/**
 * A seeded hash of a row id to [0, 1): the same on every runner and JVM (SplitMix64 finalizer), so that
 * random splits are reproducible and independent of partitioning.
 */
public final class SeededHash {
  private SeededHash() {}

  /** A uniform number in [0, 1) for this seed, salt and id. */
  public static double unit(long seed, long salt, long id) {
    long z = id + seed * 0x9E3779B97F4A7C15L + salt * 0xC2B2AE3D27D4EB4FL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    return (z >>> 11) * 0x1.0p-53;
  }
}
