package dev.beamline.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class DriftTest {
  private static final Schema SCHEMA = new Schema(List.of(Column.numeric("demand"), Column.categorical("season")));

  /** {@code n} rows: demand log-normal and transformed by {@code demand}, the season drawn with the given weights. */
  private static Map<String, Object> data(long seed, int n, DoubleUnaryOperator demand, double[] seasonWeights) {
    Random random = new Random(seed);
    DatasetStatistics s = new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT);
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble() * java.util.Arrays.stream(seasonWeights).sum();
      int season = 0;
      while (u > seasonWeights[season]) {
        u -= seasonWeights[season++];
      }
      s.add(new Record(i, new double[] {demand.applyAsDouble(Math.exp(8 + random.nextGaussian() * 0.4))},
          new String[] {"s" + (season + 1)}, null));
    }
    return s.summary();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> column(Map<String, Object> summary, String name) {
    return (Map<String, Object>) ((Map<String, Object>) summary.get("columns")).get(name);
  }

  private static final double[] EVEN = {1, 1, 1, 1};

  @Test
  void aSecondSampleOfTheSameDataDoesNotDriftAndAShiftedOneDoes() {
    Map<String, Object> year1 = data(1, 365, x -> x, EVEN);
    Map<String, Object> year2 = data(2, 366, x -> x * 1.6, EVEN);
    Map<String, Object> again = data(3, 365, x -> x, EVEN);
    double same = Drift.compare(column(year1, "demand"), column(again, "demand")).jensenShannon();
    double shifted = Drift.compare(column(year1, "demand"), column(year2, "demand")).jensenShannon();
    assertTrue(same < 0.05, "same distribution: " + same);
    assertTrue(shifted > Drift.DEFAULT_MAX_JENSEN_SHANNON, "1.6x the demand: " + shifted);
    Drift.Measure season = Drift.compare(column(year1, "season"), column(year2, "season"));
    assertTrue(season.jensenShannon() < 0.02 && season.lInfinity() < 0.06, season.toString());

    Map<String, Drift.Measure> measured = new HashMap<>();
    List<Anomaly> found = Validation.drift(null, "input", year1, year2, measured);
    assertEquals(List.of("demand"), found.stream().map(Anomaly::column).toList(), found.toString());
    assertTrue(found.get(0).message().startsWith("Jensen-Shannon divergence 0."), found.get(0).message());
    assertEquals(2, measured.size());
  }

  @Test
  void categoryShareChangesAreMeasuredByLInfinityWhenTheSchemaAsks() {
    Map<String, Object> before = data(4, 4000, x -> x, EVEN);
    Map<String, Object> after = data(5, 4000, x -> x, new double[] {2, 1, 1, 0.5});
    Drift.Measure m = Drift.compare(column(before, "season"), column(after, "season"));
    assertTrue(m.lInfinity() > 0.15 && m.lInfinity() < 0.25, m.toString()); // s1: 25% -> 44%
    DataSchema strict = new DataSchema(List.of(new DataSchema.ColumnSchema("season", "categorical", true, 0, null, null, null, 0.01, 0.5,
        0.1)));
    List<Anomaly> found = Validation.drift(strict, "input", before, after, new HashMap<>());
    assertEquals(1, found.size(), found.toString());
    assertTrue(found.get(0).message().startsWith("L-infinity distance 0.2"), found.get(0).message());
  }

  @Test
  void aConstantColumnThatChangesHasDriftedAllTheWay() {
    Map<String, Object> zeros = data(7, 100, x -> 0, EVEN);
    Map<String, Object> ones = data(8, 100, x -> 1, EVEN);
    assertEquals(1.0, Drift.compare(column(zeros, "demand"), column(ones, "demand")).jensenShannon(), 1e-12);
    assertEquals(0.0, Drift.compare(column(ones, "demand"), column(data(9, 50, x -> 1, EVEN), "demand")).jensenShannon(), 1e-12);
  }

  @Test
  void disjointCategoriesAreAsFarApartAsCanBe() {
    double[] p = {0.5, 0.5, 0, 0};
    double[] q = {0, 0, 0.5, 0.5};
    assertEquals(1.0, Drift.jensenShannon(p, q), 1e-12);
    assertEquals(0.0, Drift.jensenShannon(p, p), 1e-12);
    Map<String, Object> empty = new DatasetStatistics(SCHEMA, StatisticsOptions.DEFAULT).summary();
    assertNull(Drift.compare(column(empty, "demand"), column(data(6, 10, x -> x, EVEN), "demand")).jensenShannon());
  }
}
