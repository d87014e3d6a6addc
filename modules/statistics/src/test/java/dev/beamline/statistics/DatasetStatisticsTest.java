package dev.beamline.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DatasetStatisticsTest {
  private static final Schema SCHEMA = new Schema(List.of(Column.numeric("x"), Column.categorical("c"), new Column("v", dev.beamline.spi.data.ColumnType.SPARSE, 10)));

  private static Record row(double x, String c) {
    return new Record(0, new double[] {x}, new String[] {c}, new SparseVector[] {null});
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> column(DatasetStatistics s, String name) {
    return (Map<String, Object>) ((Map<String, Object>) s.summary().get("columns")).get(name);
  }

  @Test
  void smallDatasetHasTheFiguresWorkedOutByHand() {
    DatasetStatistics s = new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT);
    double[] xs = {1, 2.1, 2.9, 4, Double.NaN, 0};
    String[] cs = {"a", "b", "a", null, "a", "b"};
    for (int i = 0; i < xs.length; i++) {
      s.add(row(xs[i], cs[i]));
    }
    assertEquals(6L, s.rows());
    Map<String, Object> x = column(s, "x");
    assertEquals(5L, x.get("count"));
    assertEquals(1L, x.get("missing"));
    assertEquals(1.0 / 6, (Double) x.get("missingFraction"), 1e-15);
    assertEquals(1L, x.get("zeros"));
    assertEquals(0.0, x.get("min"));
    assertEquals(4.0, x.get("max"));
    assertEquals(2.0, (Double) x.get("mean"), 1e-15);
    assertEquals(Math.sqrt(1.964), (Double) x.get("stddev"), 1e-12); // (4 + 1 + 0.01 + 0.81 + 4) / 5
    assertEquals(5L, x.get("distinct"));
    @SuppressWarnings("unchecked")
    Map<String, Object> histogram = (Map<String, Object>) x.get("histogram");
    @SuppressWarnings("unchecked")
    List<Long> counts = (List<Long>) histogram.get("counts");
    assertEquals(5L, counts.stream().mapToLong(Long::longValue).sum());
    assertEquals(List.of(1L, 0L, 1L, 0L, 0L, 1L, 0L, 1L, 0L, 1L), counts); // 0, 1, 2.1, 2.9, 4 over [0, 4] in bins of 0.4
    @SuppressWarnings("unchecked")
    Map<String, Object> quantiles = (Map<String, Object>) x.get("quantiles");
    assertEquals(2.1, (Double) quantiles.get("0.5"), 2.1 * 0.01);

    Map<String, Object> c = column(s, "c");
    assertEquals(5L, c.get("count"));
    assertEquals(1L, c.get("missing"));
    assertEquals(2L, c.get("distinct"));
    assertEquals(true, c.get("distinctExact"));
    assertEquals(List.of(Map.of("value", "a", "count", 3L), Map.of("value", "b", "count", 2L)), c.get("top"));
    assertEquals(Map.of("a", 3L, "b", 2L), c.get("values"));

    Map<String, Object> v = column(s, "v");
    assertEquals(0L, v.get("count"));
    assertEquals(6L, v.get("missing"));
  }

  @Test
  void anEmptyDatasetHasCountsAndNoFigures() {
    Map<String, Object> x = column(new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT), "x");
    assertEquals(0L, x.get("count"));
    assertNull(x.get("mean"));
    assertNull(x.get("missingFraction"));
    assertNull(x.get("histogram"));
  }

  /** Rows with many distinct numbers (the HLL sketch past its exact modes) and categories, some missing. */
  private static List<Record> randomRows(int n, long seed) {
    Random random = new Random(seed);
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double x = random.nextInt(20) == 0 ? Double.NaN : random.nextGaussian() * 1e4 + (random.nextBoolean() ? 0 : -3e3);
      String c = random.nextInt(30) == 0 ? null : "v" + (int) Math.abs(random.nextGaussian() * 40);
      SparseVector v = random.nextBoolean() ? null : new SparseVector(new int[] {random.nextInt(10)}, new float[] {1f});
      rows.add(new Record(i, new double[] {x}, new String[] {c}, new SparseVector[] {v}));
    }
    return rows;
  }

  @Test
  void theSummaryDoesNotDependOnPartsOrMergeOrder() throws Exception {
    List<Record> rows = randomRows(20_000, 7);
    DatasetStatistics whole = new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT);
    rows.forEach(whole::add);
    Map<String, Object> expected = whole.summary();
    Random random = new Random(11);
    for (int trial = 0; trial < 5; trial++) {
      List<Record> shuffled = new ArrayList<>(rows);
      Collections.shuffle(shuffled, random);
      int parts = 2 + random.nextInt(7);
      List<DatasetStatistics> partial = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        partial.add(new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT));
      }
      for (Record r : shuffled) {
        partial.get(random.nextInt(parts)).add(r);
      }
      Collections.shuffle(partial, random);
      DatasetStatistics merged = roundTrip(partial.get(0));
      for (DatasetStatistics p : partial.subList(1, parts)) {
        merged = roundTrip(merged.merge(roundTrip(p)));
      }
      assertEquals(expected, merged.summary(), "trial " + trial + " with " + parts + " parts");
    }
    long distinct = (Long) column(whole, "x").get("distinct");
    assertTrue(Math.abs(distinct - 19_000) < 19_000 * 0.05, "distinct estimate " + distinct + " of about 19,000");
  }

  @Test
  void aColumnWithTooManyValuesIsFreeTextWhateverTheParts() {
    StatisticsOptions few = new StatisticsOptions(3, 10, 0.01, 5);
    DatasetStatistics whole = new DatasetStatistics(SCHEMA, few);
    DatasetStatistics a = new DatasetStatistics(SCHEMA, few);
    DatasetStatistics b = new DatasetStatistics(SCHEMA, few);
    for (int i = 0; i < 6; i++) {
      whole.add(row(i, "c" + i));
      (i % 2 == 0 ? a : b).add(row(i, "c" + i)); // neither part has more than 5 values, together they have 6
    }
    Map<String, Object> merged = column(a.merge(b), "c");
    assertEquals(column(whole, "c"), merged);
    assertFalse((Boolean) merged.get("distinctExact"));
    assertNull(merged.get("values"));
    assertEquals(6L, merged.get("distinct"));
  }

  @Test
  void statisticsOfOtherSchemasDoNotMerge() {
    DatasetStatistics other = new DatasetStatistics(new Schema(List.of(Column.numeric("y"))), StatisticsOptions.DEFAULT);
    assertThrows(IllegalArgumentException.class, () -> new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT).merge(other));
  }

  private static DatasetStatistics roundTrip(DatasetStatistics s) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(s);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (DatasetStatistics) in.readObject();
    }
  }

  @Test
  void bucketCutsAreQuartilesWrittenShortAndWithoutRepeats() {
    DatasetStatistics s = new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT);
    for (int age = 20; age < 60; age++) { // 40 ages, 100 rows each: the 1000th, 2000th and 3000th values are 29, 39, 49
      for (int k = 0; k < 100; k++) {
        s.add(row(age, "a"));
      }
    }
    List<Double> cuts = Quantiles.cuts(column(s, "x"), 4);
    assertEquals(3, cuts.size(), cuts.toString());
    assertEquals(List.of(29.0, 39.0, 49.0), cuts.stream().map(c -> (double) Math.round(c)).toList(), cuts.toString());
    for (double c : cuts) {
      assertTrue(Math.abs(c - Math.round(c)) < 1e-12, "written without spurious digits: " + cuts);
    }
    DatasetStatistics zeros = new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT);
    for (int i = 0; i < 1000; i++) {
      zeros.add(row(i < 900 ? 0 : i, "a"));
    }
    List<Double> few = Quantiles.cuts(column(zeros, "x"), 4);
    assertEquals(List.of(0.0), few, "three quartiles at 0 make one cut");
    assertTrue(Quantiles.cuts(column(new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT), "x"), 4).isEmpty());
    assertEquals(37.0, Quantiles.shortest(36.93, 0.01));
    assertEquals(0.123, Quantiles.shortest(0.1234, 0.01), 1e-15);
  }
}
