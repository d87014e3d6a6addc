package dev.beamline.spi.data;

/**
 * Row ids that are the same on every runner: the source's ordinal (7 bits), the file's ordinal within the
 * source (16 bits) and the 1-based line number (40 bits).
 */
public final class RecordIds {
  private RecordIds() {}

  /** The id of line {@code line} of file {@code file} of source {@code source}. */
  public static long of(int source, int file, long line) {
    if (source < 0 || source > 127 || file < 0 || file > 0xFFFF || line < 0 || line >= (1L << 40)) {
      throw new IllegalArgumentException("row id out of range: source " + source + ", file " + file + ", line " + line);
    }
    return ((long) source << 56) | ((long) file << 40) | line;
  }

  /** The line number part of an id. */
  public static long line(long id) {
    return id & ((1L << 40) - 1);
  }

  /** The file ordinal part of an id. */
  public static int file(long id) {
    return (int) ((id >>> 40) & 0xFFFF);
  }

  /** The source ordinal part of an id. */
  public static int source(long id) {
    return (int) (id >>> 56);
  }
}
