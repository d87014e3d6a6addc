package dev.beamline.plugins.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sparse and dense forms hold the same counts; a few rows serialize small; both survive serialization. */
class ScoreBinsTest {
  private static final int BINS = 1 << 16;

  /** Every used bin with its counts, highest bin first, as (bin, negative, positive) triples. */
  private static double[] descending(ScoreBins b) {
    List<Double> out = new ArrayList<>();
    b.forEachDescending((bin, n, p) -> {
      out.add((double) bin);
      out.add(n);
      out.add(p);
    });
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double[] reference(int[] bins, boolean[] positive) {
    double[] neg = new double[BINS];
    double[] pos = new double[BINS];
    for (int i = 0; i < bins.length; i++) {
      if (positive[i]) {
        pos[bins[i]]++;
      } else {
        neg[bins[i]]++;
      }
    }
    List<Double> out = new ArrayList<>();
    for (int b = BINS - 1; b >= 0; b--) {
      if (neg[b] != 0 || pos[b] != 0) {
        out.add((double) b);
        out.add(neg[b]);
        out.add(pos[b]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static ScoreBins roundTrip(ScoreBins b) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(b);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (ScoreBins) in.readObject();
    }
  }

  @Test
  void sparseAndDenseCountsMatchADenseReferenceAndSurviveSerialization() throws Exception {
    for (int rows : new int[] {0, 1, 300, 50_000}) {
      Random r = new Random(rows);
      int[] bins = new int[rows];
      boolean[] positive = new boolean[rows];
      ScoreBins half1 = new ScoreBins(BINS);
      ScoreBins half2 = new ScoreBins(BINS);
      for (int i = 0; i < rows; i++) {
        bins[i] = r.nextInt(BINS);
        positive[i] = r.nextBoolean();
        (i % 2 == 0 ? half1 : half2).add(bins[i], positive[i], 1.0);
      }
      half1.addAll(half2);
      double[] expected = reference(bins, positive);
      assertArrayEquals(expected, descending(half1), "rows " + rows);
      assertArrayEquals(expected, descending(roundTrip(half1)), "rows " + rows + " after serialization");
    }
  }

  @Test
  void aFewHundredRowsSerializeInAFewKilobytes() throws Exception {
    ScoreBins b = new ScoreBins(BINS);
    Random r = new Random(3);
    for (int i = 0; i < 300; i++) {
      b.add(r.nextInt(BINS), r.nextBoolean(), 1.0);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(b);
    }
    assertTrue(bytes.size() < 10_000, bytes.size() + " bytes");
  }
}
