package dev.beamline.core.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.SparseVector;
import java.util.HexFormat;

/**
 * The fingerprint of rows that come from no file (a database table): the sum, modulo 2^64, of a 64-bit hash of each
 * row (its id and every value), so that it does not depend on the order the rows are read in or on how they are
 * spread over workers, and changes when a row is added, removed or changed. Summed in a Beam counter, like the row
 * counts; a change detector, not a cryptographic digest.
 */
public final class RowsDigest {
  private RowsDigest() {}

  /** The hash of one row. */
  public static long of(Record r) {
    long h = mix(r.id());
    for (double d : r.numbers()) {
      h = mix(h ^ Double.doubleToLongBits(d));
    }
    for (String s : r.texts()) {
      h = mix(h ^ (s == null ? 0x6A09E667F3BCC909L : text(s)));
    }
    if (r.sparse() != null) {
      for (SparseVector v : r.sparse()) {
        h = mix(h ^ (v == null ? 0xBB67AE8584CAA73BL : v.hashCode()));
      }
    }
    return h;
  }

  /** A digest as 16 hexadecimal digits. */
  public static String hex(long digest) {
    return HexFormat.of().toHexDigits(digest);
  }

  /** FNV-1a over the text's characters. */
  private static long text(String s) {
    long h = 0xCBF29CE484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001B3L;
    }
    return h ^ s.length();
  }

  /** The finalizer of SplitMix64: every input bit moves every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
