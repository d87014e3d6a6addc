package dev.beamline.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.features.steps.ImputeStep;
import dev.beamline.features.steps.VocabularyStep;
import dev.beamline.features.steps.ZScoreStep;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import dev.beamline.spi.feature.ValueType;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransformJsonTest {
  private final Schema schema = new Schema(List.of(Column.numeric("age"), Column.categorical("color"),
      new Column("sparse", ColumnType.SPARSE, 3), Column.categorical("label")));

  private FeatureTransform transform() {
    return new FeatureTransform(schema,
        new LabelSpec("label", new Task(TaskType.BINARY, List.of("no", "yes")), List.of("yes")), null, List.of(
            new FeatureTransform.Chain("age", List.of(
                new FeatureTransform.Step("impute", Map.of("indicator", true), new ImputeStep(ValueType.NUMBER, 40.0, true)),
                new FeatureTransform.Step("zscore", Map.of(), new ZScoreStep(40, 10, 5)))),
            new FeatureTransform.Chain("color", List.of(
                new FeatureTransform.Step("vocabulary", Map.of("encoding", "onehot"), new VocabularyStep(List.of("red", "blue"), true)))),
            new FeatureTransform.Chain("sparse", List.of())));
  }

  private static Record row(double age, String color, SparseVector v, String label) {
    return new Record(1, new double[] {age}, new String[] {color, label}, new SparseVector[] {v});
  }

  @Test
  void appliesEveryChainIntoOneVector() {
    FeatureTransform t = transform();
    assertEquals(List.of("age_missing", "age", "color=red", "color=blue", "color=__oov__", "sparse_0", "sparse_1", "sparse_2"),
        t.featureNames());
    float[] f = t.apply(row(Double.NaN, "blue", new SparseVector(new int[] {1}, new float[] {5f}), "yes"));
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f, 0f, Float.NaN, 5f, Float.NaN}, f);
    assertEquals(1.0, t.label().read(schema, row(50, "red", new SparseVector(new int[0], new float[0]), "yes")).value());
    assertEquals(0.0, t.label().read(schema, row(50, "red", new SparseVector(new int[0], new float[0]), "no")).value());
  }

  @Test
  void roundTripsThroughJsonAndAppliesIdentically() {
    FeatureTransform t = transform();
    String json = TransformJson.write(t);
    FeatureTransform back = TransformJson.read(json, StepResolver.discover());
    assertEquals(json, TransformJson.write(back));
    Record r = row(55, "green", new SparseVector(new int[] {0, 2}, new float[] {1f, 2f}), "no");
    assertArrayEquals(t.apply(r), back.apply(r));
  }

  @Test
  void rejectsNewerFormatsAndUnknownStepsByName() {
    String json = TransformJson.write(transform());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TransformJson.read(json.replace("\"version\" : 1", "\"version\" : 99"), StepResolver.discover()));
    assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TransformJson.read(json.replace("\"zscore\"", "\"zscore2\""), StepResolver.discover()));
    assertTrue(e.getMessage().contains("'zscore2'") && e.getMessage().contains("zscore"), e.getMessage());
  }

  @Test
  void textLeftUnencodedIsAnError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new FeatureTransform(schema, null, null, List.of(new FeatureTransform.Chain("color", List.of()))));
    assertTrue(e.getMessage().contains("'color'") && e.getMessage().contains("encoder"), e.getMessage());
  }

  @Test
  void featureNamesAreSafeForXgboostAndUnique() {
    assertEquals(List.of("a=lt=50K", "b(1)", "c", "c~2"), FeatureTransform.safeNames(List.of("a=<=50K", "b[1]", "c", "c")));
  }

  @Test
  void applyingNeedsNoBeam() {
    // The apply side must run where Beam is absent (the online server, batch scoring outside Beam).
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.beam.sdk.Pipeline"));
  }
}
