package dev.beamline.features;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The exact sum of doubles, whatever order they are added and merged in: a long accumulator per binary
 * exponent (a "superaccumulator"), normalized before it can overflow. Adding costs a few nanoseconds, where
 * {@link BigDecimal} costs about a hundred; the result is converted to a {@link BigDecimal} once at the end.
 * This is what makes fitted means and variances bit-identical on every runner.
 *
 * <p>Whole numbers below 2^53 in magnitude (counts, ages, amounts in cents: most numeric columns), and the squares of
 * those below 2^31, are summed in a plain {@code long} first, which is exact too and costs no normalization; the
 * {@code long} joins the buckets when it would overflow, and before a merge, a copy or the result.
 */
public final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Room below and above the double exponents, for squares of very small and very large values. */
  private static final int OFFSET = 2200;
  private static final int BUCKETS = 2048 + 2 * OFFSET + 64;
  private static final int NORMALIZE_EVERY = 512;

  private transient long[] buckets = new long[BUCKETS];
  private int pending;
  /** The lowest and highest bucket added to since the last normalization (none: lowest > highest). */
  private transient int touchedLow = Integer.MAX_VALUE;
  private transient int touchedHigh = -1;

  /** The sum of the whole numbers added since the buckets last took it in (see the class comment); never serialized. */
  private transient long whole;

  /** Adds a finite double. */
  public void add(double x) {
    long w = (long) x; // saturates: only values inside the range below come back equal and pass
    if (w == x && w > -(1L << 53) && w < 1L << 53) {
      addWhole(w);
    } else {
      add(x, 0);
    }
  }

  /** Adds {@code w} to {@link #whole}, moving {@link #whole} into the buckets first when the sum would overflow. */
  private void addWhole(long w) {
    long sum = whole + w;
    if (((whole ^ sum) & (w ^ sum)) < 0) { // overflow: the signs of both operands differ from the sum's
      flushWhole();
      sum = w;
    }
    whole = sum;
  }

  /** Moves {@link #whole} into the buckets, as two doubles that hold it exactly (its high and low 32 bits). */
  private void flushWhole() {
    if (whole != 0) {
      add((double) (whole >> 32), 32);
      add((double) (whole & 0xffffffffL), 0);
      whole = 0;
    }
  }

  /** Adds {@code x * 2^shift}. */
  private void add(double x, int shift) {
    if (x == 0) {
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    int exp = (int) ((bits >>> 52) & 0x7ff);
    long mantissa = bits & 0xfffffffffffffL;
    if (exp == 0) {
      exp = 1;
    } else {
      mantissa |= 1L << 52;
    }
    // x = mantissa * 2^(exp - 1075)
    int i = exp + shift + OFFSET;
    buckets[i] += bits < 0 ? -mantissa : mantissa;
    touchedLow = Math.min(touchedLow, i);
    touchedHigh = Math.max(touchedHigh, i);
    if (++pending >= NORMALIZE_EVERY) {
      normalize();
    }
  }

  /** Adds {@code x * x} exactly (as the two doubles hi + lo that represent it). */
  public void addSquare(double x) {
    long w = (long) x;
    if (w == x && w > -(1L << 31) && w < 1L << 31) {
      addWhole(w * w);
      return;
    }
    // Scale far-out values near 1 so that neither the square overflows nor its low part underflows.
    int k = x == 0 || (Math.abs(x) < 0x1p400 && Math.abs(x) > 0x1p-400) ? 0 : -Math.getExponent(x);
    double y = Math.scalb(x, k);
    double hi = y * y;
    add(hi, -2 * k);
    add(Math.fma(y, y, -hi), -2 * k);
  }

  /** Adds another sum. */
  public void add(ExactSum other) {
    flushWhole();
    other.flushWhole();
    normalize();
    other.normalize();
    for (int i = 0; i < BUCKETS; i++) {
      buckets[i] += other.buckets[i];
    }
    normalize(0, BUCKETS - 1);
  }

  /**
   * Keeps every bucket below 2^32 in magnitude by carrying the rest 32 exponents up. Only the buckets added
   * to since the last time can hold more, and those their carries reach: a column's values span a few dozen
   * of the thousands of buckets, so this walks those instead of all.
   */
  private void normalize() {
    normalize(touchedLow, touchedHigh);
  }

  private void normalize(int from, int to) {
    for (int i = from; i <= to && i < BUCKETS - 32; i++) {
      long carry = buckets[i] >> 32;
      if (carry != 0) {
        buckets[i] -= carry << 32;
        buckets[i + 32] += carry;
        to = Math.max(to, i + 32);
      }
    }
    pending = 0;
    touchedLow = Integer.MAX_VALUE;
    touchedHigh = -1;
  }

  /** Writes only the buckets in use (a few dozen of the thousands). */
  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    flushWhole();
    normalize();
    int lo = 0;
    while (lo < BUCKETS && buckets[lo] == 0) {
      lo++;
    }
    int hi = BUCKETS;
    while (hi > lo && buckets[hi - 1] == 0) {
      hi--;
    }
    out.writeInt(lo);
    out.writeInt(hi - lo);
    for (int i = lo; i < hi; i++) {
      out.writeLong(buckets[i]);
    }
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException {
    buckets = new long[BUCKETS];
    touchedLow = Integer.MAX_VALUE; // written normalized
    touchedHigh = -1;
    int lo = in.readInt();
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      buckets[lo + i] = in.readLong();
    }
  }

  /** The exact sum. */
  public BigDecimal value() {
    flushWhole();
    normalize();
    int lowest = -1;
    for (int i = 0; i < BUCKETS; i++) {
      if (buckets[i] != 0) {
        lowest = i;
        break;
      }
    }
    if (lowest < 0) {
      return BigDecimal.ZERO;
    }
    BigInteger total = BigInteger.ZERO;
    for (int i = BUCKETS - 1; i >= lowest; i--) {
      total = total.shiftLeft(i == BUCKETS - 1 ? 0 : 1).add(BigInteger.valueOf(buckets[i]));
    }
    // total is in units of 2^(lowest - OFFSET - 1075)
    int power = lowest - OFFSET - 1075;
    if (power >= 0) {
      return new BigDecimal(total.shiftLeft(power));
    }
    return new BigDecimal(total.multiply(BigInteger.valueOf(5).pow(-power)), -power);
  }
}
