package dev.beamline.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExactSumTest {
  @Test
  void equalsTheBigDecimalSumOfWildlyScaledValuesInAnyOrder() {
    Random r = new Random(3);
    double[] xs = new double[20000];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = (r.nextBoolean() ? -1 : 1) * r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
    }
    xs[7] = Double.MIN_VALUE;
    xs[8] = 1e300;
    xs[9] = -1e300;
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal squares = BigDecimal.ZERO;
    ExactSum forward = new ExactSum();
    ExactSum squaresForward = new ExactSum();
    for (double x : xs) {
      sum = sum.add(new BigDecimal(x));
      squares = squares.add(new BigDecimal(x).multiply(new BigDecimal(x)));
      forward.add(x);
      squaresForward.addSquare(x);
    }
    ExactSum a = new ExactSum();
    ExactSum b = new ExactSum();
    for (int i = xs.length - 1; i >= 0; i--) {
      (i % 3 == 0 ? a : b).add(xs[i]);
    }
    b.add(a);
    assertEquals(0, sum.compareTo(forward.value()));
    assertEquals(0, sum.compareTo(b.value()));
    assertEquals(0, squares.compareTo(squaresForward.value()));
  }

  /**
   * A million values of a few magnitudes, as a data column is: every bucket they land in overflows 2^32
   * again and again, and the carries climb (and cascade) into buckets no value landed in; a sum that went
   * through serialization half way goes on adding.
   */
  @Test
  void carriesThroughRepeatedOverflowOfTheSameBuckets() throws Exception {
    Random r = new Random(5);
    BigDecimal sum = BigDecimal.ZERO;
    ExactSum s = new ExactSum();
    for (int i = 0; i < 1_000_000; i++) {
      double x = r.nextInt(10) == 0 ? -(4503599627370495.0 + r.nextInt(1000)) : 1e15 + r.nextInt(90_000) * 1e10 + 0.5;
      sum = sum.add(new BigDecimal(x));
      s.add(x);
      if (i == 500_000) {
        s = roundTrip(s);
      }
    }
    assertEquals(0, sum.compareTo(s.value()));
  }

  /**
   * Whole numbers take the plain {@code long} path: the edges of it (2^53 - 1 and 2^53, squares of 2^31 - 1 and 2^31,
   * the most negative), sums that overflow the {@code long} again and again in both directions, mixed with fractions
   * and with a merge and a serialization half way, still sum exactly.
   */
  @Test
  void sumsWholeNumbersExactlyPastTheLongsRange() throws Exception {
    double edge = 0x1p53;
    double[] fixed = {edge - 1, edge, -(edge - 1), -edge, 0x1p31 - 1, 0x1p31, -0x1p31, -0x1p63, 0x1p63, -0.0, 0.5, -3.25};
    Random r = new Random(11);
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal squares = BigDecimal.ZERO;
    ExactSum s = new ExactSum();
    ExactSum q = new ExactSum();
    ExactSum other = new ExactSum();
    for (int i = 0; i < 300_000; i++) {
      double x = i < fixed.length ? fixed[i]
          : i < 150_000 ? edge - 1 - r.nextInt(1000) // climbs past Long.MAX_VALUE within ~1,100 adds
          : r.nextInt(4) == 0 ? r.nextInt(1 << 20) * 0.25 : -(double) (r.nextLong() >>> 11);
      sum = sum.add(new BigDecimal(x));
      squares = squares.add(new BigDecimal(x).multiply(new BigDecimal(x)));
      (i % 7 == 0 ? other : s).add(x);
      q.addSquare(x);
      if (i == 200_000) {
        s = roundTrip(s);
        q = roundTrip(q);
      }
    }
    s.add(other);
    assertEquals(0, sum.compareTo(s.value()));
    assertEquals(0, squares.compareTo(q.value()));
  }

  @Test
  void survivesSerialization() throws Exception {
    ExactSum s = new ExactSum();
    s.add(0.1);
    s.addSquare(3e-200);
    ExactSum copy = roundTrip(s);
    assertEquals(0, s.value().compareTo(copy.value()));
  }

  @Test
  void emptyIsZero() {
    assertEquals(0, BigDecimal.ZERO.compareTo(new ExactSum().value()));
  }

  private static ExactSum roundTrip(ExactSum s) throws Exception {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      return (ExactSum) in.readObject();
    }
  }
}
