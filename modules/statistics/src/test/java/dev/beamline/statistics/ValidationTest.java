package dev.beamline.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ValidationTest {
  private static final Schema SCHEMA = new Schema(List.of(Column.numeric("age"), Column.categorical("color"), Column.numeric("score")));
  private static final List<String> COLORS = List.of("red", "green", "blue");

  /** 2,000 rows: age 18..80, a color, a score in [-1, 1] with 5% missing; {@code change} edits each row. */
  private static Map<String, Object> summary(Schema schema, long seed, UnaryOperator<Record> change) {
    Random random = new Random(seed);
    DatasetStatistics s = new DatasetStatistics(schema, StatisticsOptions.DEFAULT);
    for (int i = 0; i < 2000; i++) {
      Record r = new Record(i, new double[] {18 + random.nextInt(63), random.nextInt(20) == 0 ? Double.NaN : random.nextDouble() * 2 - 1},
          new String[] {COLORS.get(random.nextInt(3))}, null);
      s.add(change.apply(r));
    }
    return s.summary();
  }

  private static final Map<String, Object> REFERENCE = summary(SCHEMA, 1, r -> r);
  private static final DataSchema INFERRED = DataSchema.infer(REFERENCE);

  @Test
  void theSchemaOfTheDataItWasInferredFromHoldsForNewDataLikeIt() {
    DataSchema.ColumnSchema age = INFERRED.column("age");
    assertEquals(18.0, age.min());
    assertEquals(80.0, age.max());
    assertEquals(List.of("blue", "green", "red"), INFERRED.column("color").domain());
    assertTrue(INFERRED.column("score").maxMissingFraction() > 0.05 && INFERRED.column("score").maxMissingFraction() < 0.1,
        String.valueOf(INFERRED.column("score").maxMissingFraction()));
    assertEquals(List.of(), Validation.check(INFERRED, "train", REFERENCE));
    assertEquals(List.of(), Validation.check(INFERRED, "test", summary(SCHEMA, 2, r -> r)));
  }

  @Test
  void scaledNumbersNewCategoriesAndMoreMissingValuesAreErrors() {
    Map<String, Object> bad = summary(SCHEMA, 3, r -> new Record(r.id(), new double[] {r.numbers()[0] * 100, Double.NaN},
        new String[] {r.id() % 2 == 0 ? "purple" : r.texts()[0]}, null));
    List<Anomaly> found = Validation.check(INFERRED, "test", bad);
    assertEquals(List.of("age out_of_range error", "color out_of_domain error", "score missing_values error"),
        found.stream().map(a -> a.column() + " " + a.kind() + " " + a.severity().label()).toList(), found.toString());
    assertTrue(Validation.hasErrors(found));
    assertTrue(found.get(1).message().contains("'purple' (1000)"), found.get(1).message());
  }

  @Test
  void aFewValuesOutsideAreAWarningAndTheCountsComeFromTheSketch() {
    Map<String, Object> some = summary(SCHEMA, 4, r -> r.id() % 200 == 0 ? new Record(r.id(), new double[] {150, 0}, r.texts(), null) : r);
    List<Anomaly> found = Validation.check(INFERRED, "test", some);
    assertEquals(1, found.size(), found.toString());
    Anomaly a = found.get(0);
    assertEquals("out_of_range", a.kind());
    assertEquals(Anomaly.Severity.WARNING, a.severity());
    assertTrue(a.message().startsWith("10 of 2,000 values (0.50%) outside [18, 80] (seen 18 to 150)"), a.message());
    assertFalse(Validation.hasErrors(found));
  }

  @Test
  void aMissingColumnIsAnErrorAndAnExtraOneAWarning() {
    Schema other = new Schema(List.of(Column.numeric("age"), Column.categorical("color"), Column.numeric("height")));
    List<Anomaly> found = Validation.check(INFERRED, "input", summary(other, 5, r -> r));
    assertEquals(List.of("score missing_column error", "height extra_column warning"),
        found.stream().map(a -> a.column() + " " + a.kind() + " " + a.severity().label()).toList(), found.toString());
    assertEquals("error input: column 'score': the data has no column 'score' and the schema requires it", found.get(0).describe());
  }

  @Test
  void aChangedTypeIsAnError() {
    Schema retyped = new Schema(List.of(Column.categorical("age"), Column.categorical("color"), Column.numeric("score")));
    Map<String, Object> s = new DatasetStatistics(retyped, StatisticsOptions.DEFAULT).summary();
    List<Anomaly> found = Validation.check(INFERRED, "input", s);
    assertEquals("type_change", found.get(0).kind());
    assertEquals("the column is categorical; the schema says numeric", found.get(0).message());
  }
}
