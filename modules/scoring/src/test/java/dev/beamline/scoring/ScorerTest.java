package dev.beamline.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.features.FeatureTransform;
import dev.beamline.features.LabelSpec;
import dev.beamline.features.steps.DateTimeStep;
import dev.beamline.features.steps.VocabularyStep;
import dev.beamline.features.steps.ZScoreStep;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ScorerTest {
  /** age (numeric, trained on 17..90), color (categorical: red, blue), income (the label). */
  static final Schema SCHEMA = new Schema(List.of(new Column("age", ColumnType.NUMERIC, 0),
      new Column("color", ColumnType.CATEGORICAL, 0), new Column("income", ColumnType.CATEGORICAL, 0)));
  static final FeatureTransform TRANSFORM = new FeatureTransform(SCHEMA,
      new LabelSpec("income", new Task(TaskType.BINARY, List.of("no", "yes")), List.of("yes")), null, List.of(
          new FeatureTransform.Chain("age", List.of(new FeatureTransform.Step("zscore", Map.of(), new ZScoreStep(40, 10, 100))),
              new FeatureTransform.Range(17, 90)),
          new FeatureTransform.Chain("color", List.of(new FeatureTransform.Step("vocabulary", Map.of("encoding", "onehot"),
              new VocabularyStep(List.of("red", "blue"), true))))));

  /** A hand-written predictor: the sum of a row's features (NaN as 0), counting calls and closes. */
  static final class SumPredictor implements Predictor {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    volatile CountDownLatch hold;

    @Override
    public float[][] predict(FeatureMatrix rows) {
      calls.incrementAndGet();
      if (hold != null) {
        try {
          hold.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      float[][] out = new float[rows.rows()][];
      for (int r = 0; r < rows.rows(); r++) {
        float s = 0;
        for (int c = 0; c < rows.columns(); c++) {
          float v = rows.values()[r * rows.columns() + c];
          s += Float.isNaN(v) ? 0 : v;
        }
        out[r] = new float[] {s};
      }
      return out;
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  static Bundle bundle(Map<String, Object> sourceSettings) {
    Map<String, Object> source = sourceSettings == null ? Map.of() : Map.of("type", "csv", "settings", sourceSettings);
    return new Bundle(Path.of("model"), TRANSFORM, "sum", "model.bin", new byte[0], source, Map.of());
  }

  /** What the fake predictor gives for the transform of a typed row: the reference every path must meet. */
  static float expected(double age, String color) {
    float[] f = TRANSFORM.apply(new Record(0, new double[] {age}, new String[] {color, null}, null));
    float s = 0;
    for (float v : f) {
      s += Float.isNaN(v) ? 0 : v;
    }
    return s;
  }

  @Test
  void scoresRawRowsWithTheTrainingTransformIgnoringExtraColumnsAndTheLabel() {
    try (Scorer scorer = new Scorer(bundle(null), new SumPredictor(), ScoringPolicy.defaults())) {
      Scorer.Result r = scorer.score(RawRows.ofSplit(List.of("color", "age", "extra"),
          List.of(List.of("red", 50, "x"), Arrays.asList("blue", "30.5", null), Arrays.asList(null, null, 1))));
      assertEquals(expected(50, "red"), r.predictions()[0][0]);
      assertEquals(expected(30.5, "blue"), r.predictions()[1][0]);
      assertEquals(expected(Double.NaN, null), r.predictions()[2][0], "null values are missing values, scored as in training");
      assertTrue(r.issues().isEmpty(), r.issues().toString());
      assertEquals(List.of("age", "color"), scorer.requiredColumns());
    }
  }

  @Test
  void aMissingColumnOrAWrongTypeRejectsTheRowByDefaultNamingColumnAndValue() {
    try (Scorer scorer = new Scorer(bundle(null), new SumPredictor(), ScoringPolicy.defaults())) {
      List<Map<String, Object>> records = new ArrayList<>();
      records.add(Map.of("age", 50, "color", "red"));
      records.add(Map.of("color", "red"));
      records.add(Map.of("age", "fifty", "color", "red"));
      records.add(Map.of("age", true, "color", List.of("red")));
      Scorer.Result r = scorer.score(RawRows.ofRecords(records));
      assertNotNull(r.predictions()[0]);
      assertNull(r.predictions()[1]);
      assertNull(r.predictions()[2]);
      assertNull(r.predictions()[3]);
      assertEquals(3, r.rejected());
      assertEquals("row 1: column 'age': missing_column: the row has no column 'age' (rejected)", r.issues().get(0).describe());
      assertEquals("row 2: column 'age': wrong_type: 'fifty' is not a number (rejected)", r.issues().get(1).describe());
      assertEquals(Problem.WRONG_TYPE, r.issues().get(2).problem());
      assertTrue(r.issues().get(2).detail().contains("boolean true"), r.issues().get(2).detail());
      assertTrue(r.issues().get(3).detail().contains("is not a category"), r.issues().get(3).detail());
    }
  }

  @Test
  void aDateTheStepCannotReadIsAWrongTypeRejectedByDefaultOrScoredAsMissing() {
    Schema schema = new Schema(List.of(new Column("day", ColumnType.CATEGORICAL, 0), new Column("income", ColumnType.CATEGORICAL, 0)));
    FeatureTransform transform = new FeatureTransform(schema,
        new LabelSpec("income", new Task(TaskType.BINARY, List.of("no", "yes")), List.of("yes")), null, List.of(
            new FeatureTransform.Chain("day", List.of(new FeatureTransform.Step("datetime", Map.of("parts", List.of("month")),
                DateTimeStep.of(Map.of("parts", List.of("month"))))))));
    Bundle bundle = new Bundle(Path.of("model"), transform, "sum", "model.bin", new byte[0], Map.of(), Map.of());
    List<List<Object>> rows = List.of(List.of("2024-03-01"), List.of("March 1st"));
    try (Scorer scorer = new Scorer(bundle, new SumPredictor(), ScoringPolicy.defaults())) {
      Scorer.Result r = scorer.score(RawRows.ofSplit(List.of("day"), rows));
      assertEquals(3f, r.predictions()[0][0], "the month");
      assertNull(r.predictions()[1]);
      assertEquals("row 1: column 'day': wrong_type: 'March 1st' is not a date in ISO-8601 (2024-03-01, 2024-03-01T12:30:00, "
          + "2024-03-01 12:30:00+02:00) (rejected)", r.issues().get(0).describe());
    }
    try (Scorer scorer = new Scorer(bundle, new SumPredictor(), ScoringPolicy.parse(List.of("wrong_type=score")))) {
      Scorer.Result r = scorer.score(RawRows.ofSplit(List.of("day"), rows));
      assertEquals(0f, r.predictions()[1][0], "scored as a missing date (the fake predictor counts NaN as 0)");
      assertEquals(false, r.issues().get(0).rejected());
    }
  }

  @Test
  void whenAskedAMissingColumnIsScoredAsAMissingValue() {
    ScoringPolicy policy = ScoringPolicy.parse(List.of("missing_column=score"));
    try (Scorer scorer = new Scorer(bundle(null), new SumPredictor(), policy)) {
      Scorer.Result r = scorer.score(RawRows.ofRecords(List.of(Map.of("color", "blue"))));
      assertEquals(expected(Double.NaN, "blue"), r.predictions()[0][0]);
      assertEquals(1, r.issues().size());
      assertEquals(false, r.issues().get(0).rejected());
    }
  }

  @Test
  void anUnseenCategoryIsScoredOutOfVocabularyAndReportedOrRejectedWhenAsked() {
    List<List<Object>> rows = List.of(List.of(50, "green"), List.of(95, "red"));
    try (Scorer scorer = new Scorer(bundle(null), new SumPredictor(), ScoringPolicy.defaults())) {
      Scorer.Result r = scorer.score(RawRows.ofSplit(List.of("age", "color"), rows));
      assertEquals(expected(50, "green"), r.predictions()[0][0], "the out-of-vocabulary bucket, as in training");
      assertEquals(expected(95, "red"), r.predictions()[1][0]);
      assertEquals("row 0: column 'color': unseen_category: 'green' was not seen in training (vocabulary: out of vocabulary) (scored)",
          r.issues().get(0).describe());
      assertEquals("row 1: column 'age': out_of_range: 95.0 is outside the training range [17.0, 90.0] (scored)", r.issues().get(1).describe());
    }
    ScoringPolicy strict = ScoringPolicy.parse(List.of("unseen_category=reject", "out_of_range=reject"));
    try (Scorer scorer = new Scorer(bundle(null), new SumPredictor(), strict)) {
      Scorer.Result r = scorer.score(RawRows.ofSplit(List.of("age", "color"), List.of(List.of(50, "green"), List.of(95, "red"), List.of(20, "red"))));
      assertNull(r.predictions()[0]);
      assertNull(r.predictions()[1]);
      assertEquals(expected(20, "red"), r.predictions()[2][0], "a good row after rejected ones gets its own features");
    }
  }

  @Test
  void textIsReadAsTheTrainingSourceReadIt() {
    try (Scorer scorer = new Scorer(bundle(Map.of("missingValues", List.of("?"), "trim", true)), new SumPredictor(), ScoringPolicy.defaults())) {
      Scorer.Result r = scorer.score(RawRows.ofSplit(List.of("age", "color"), List.of(List.of(" 50 ", " red"), List.of("?", " ?"))));
      assertEquals(expected(50, "red"), r.predictions()[0][0]);
      assertEquals(expected(Double.NaN, null), r.predictions()[1][0]);
      assertTrue(r.issues().isEmpty(), r.issues().toString());
    }
  }

  @Test
  void manyRowsGoToThePredictorInBatches() {
    SumPredictor predictor = new SumPredictor();
    try (Scorer scorer = new Scorer(bundle(null), predictor, ScoringPolicy.defaults())) {
      List<List<Object>> rows = new ArrayList<>();
      for (int i = 0; i < Scorer.BATCH * 2 + 5; i++) {
        rows.add(List.of(17 + i % 70, i % 3 == 0 ? "red" : "blue"));
      }
      Scorer.Result r = scorer.score(RawRows.ofSplit(List.of("age", "color"), rows));
      assertEquals(3, predictor.calls.get());
      for (int i = 0; i < rows.size(); i++) {
        assertEquals(expected(17 + i % 70, i % 3 == 0 ? "red" : "blue"), r.predictions()[i][0]);
      }
    }
  }

  @Test
  void threadsScoreAtOnceAndAgreeWithOneThread() throws Exception {
    try (Scorer scorer = new Scorer(bundle(null), new SumPredictor(), ScoringPolicy.defaults())) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<float[]>> results = new ArrayList<>();
        for (int t = 0; t < 64; t++) {
          int age = 17 + t;
          results.add(pool.submit(() -> scorer.score(RawRows.ofSplit(List.of("age", "color"), List.of(List.of(age, "blue")))).predictions()[0]));
        }
        for (int t = 0; t < 64; t++) {
          assertArrayEquals(new float[] {expected(17 + t, "blue")}, results.get(t).get(10, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void closeWaitsForCallsInFlightThenFreesThePredictorOnce() throws Exception {
    SumPredictor predictor = new SumPredictor();
    predictor.hold = new CountDownLatch(1);
    Scorer scorer = new Scorer(bundle(null), predictor, ScoringPolicy.defaults());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Scorer.Result> inFlight = pool.submit(() -> scorer.score(RawRows.ofSplit(List.of("age", "color"), List.of(List.of(30, "red")))));
      while (predictor.calls.get() == 0) {
        Thread.sleep(5);
      }
      Future<?> closing = pool.submit(scorer::close);
      Thread.sleep(100);
      assertEquals(0, predictor.closes.get(), "the predictor must not be freed under a call");
      predictor.hold.countDown();
      assertEquals(expected(30, "red"), inFlight.get(10, TimeUnit.SECONDS).predictions()[0][0]);
      closing.get(10, TimeUnit.SECONDS);
      assertEquals(1, predictor.closes.get());
      scorer.close();
      assertEquals(1, predictor.closes.get());
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> scorer.score(RawRows.ofSplit(List.of("age", "color"), List.of(List.of(30, "red")))));
      assertTrue(e.getMessage().contains("closed"));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void policySettingsAreCheckedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScoringPolicy.parse(List.of("unseen=reject")));
    assertTrue(e.getMessage().contains("unknown problem 'unseen'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ScoringPolicy.parse(List.of("wrong_type=maybe")));
    assertEquals(ScoringPolicy.Action.REJECT, ScoringPolicy.parse(List.of("out-of-range=reject")).action(Problem.OUT_OF_RANGE));
  }

  @Test
  void aDirectoryThatIsNoModelIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Bundle.read(dir, dev.beamline.features.StepResolver.discover()));
    assertTrue(e.getMessage().startsWith(dir + ": not a model directory"), e.getMessage());
    assertThrows(java.nio.file.NoSuchFileException.class, () -> Bundle.read(dir.resolve("nope"), dev.beamline.features.StepResolver.discover()));
  }

  @SuppressWarnings("unused")
  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
