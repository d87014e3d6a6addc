package dev.beamline.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.spi.FeatureFactory;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/**
 * The contract of a feature step: fitting gives the same state however the data is partitioned and merged
 * (so every runner fits the same thing), the same in a Beam pipeline as directly, survives an empty
 * training split, round-trips through JSON, writes as many features as it names, and its analyzer survives
 * serialization.
 */
public abstract class FeatureContract extends PluginContract {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** The feature step under test. */
  protected abstract FeatureFactory feature();

  /** The step's configuration values. */
  protected abstract Map<String, Object> config();

  /** The type of values the step receives. */
  protected abstract ValueType input();

  /** Values to fit on, including missing ones (Double.NaN or null). */
  protected abstract List<Object> sample();

  /** The validated configuration. */
  protected final StageConfig stageConfig() {
    return feature().configSpec().validate("test", config());
  }

  @SuppressWarnings("unchecked")
  private Combine.CombineFn<Object, Object, Map<String, Object>> analyzer() {
    return (Combine.CombineFn<Object, Object, Map<String, Object>>) feature().analyzer(stageConfig(), input());
  }

  /** Fits the step on values split into {@code parts} partitions, merged in reverse order. */
  protected final Map<String, Object> fit(List<Object> values, int parts) {
    var analyzer = analyzer();
    if (analyzer == null) {
      return Map.of();
    }
    List<Object> accs = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      Object acc = analyzer.createAccumulator();
      for (int i = p; i < values.size(); i += parts) {
        acc = analyzer.addInput(acc, values.get(i));
      }
      accs.add(0, acc);
    }
    return analyzer.extractOutput(analyzer.mergeAccumulators(accs));
  }

  /** Restores the step from a fitted state. */
  protected final FittedStep restore(Map<String, Object> state) {
    return feature().restore(input(), stageConfig().displayValues(), state);
  }

  /** The features and passed-on value the step gives for each sample value. */
  protected final List<Object> applyAll(FittedStep step) {
    List<Object> out = new ArrayList<>();
    for (Object v : sample()) {
      float[] features = new float[Math.max(1, step.width())];
      Object passed = step.apply(v, features, 0);
      out.add(List.of(String.valueOf(passed), java.util.Arrays.toString(features)));
    }
    return out;
  }

  @Test
  public void fitDoesNotDependOnPartitioning() throws Exception {
    Map<String, Object> whole = fit(sample(), 1);
    assertEquals(JSON.writeValueAsString(whole), JSON.writeValueAsString(fit(sample(), 3)));
    assertEquals(JSON.writeValueAsString(whole), JSON.writeValueAsString(fit(sample(), sample().size())));
  }

  @Test
  public void fitsTheSameInAPipeline() throws Exception {
    var analyzer = analyzer();
    if (analyzer == null) {
      return;
    }
    Pipeline p = TestPipelines.create();
    @SuppressWarnings({"unchecked", "rawtypes"})
    org.apache.beam.sdk.coders.Coder<Object> coder = (org.apache.beam.sdk.coders.Coder) NullableCoder.of(SerializableCoder.of(java.io.Serializable.class));
    PCollection<Object> values = p.apply(Create.of(sample()).withCoder(coder));
    TestPipelines.Sink<String> fitted = TestPipelines.collect(values.apply(Combine.globally(analyzer))
        .apply(org.apache.beam.sdk.transforms.MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.strings())
            .via(m -> {
              try {
                return JSON.writeValueAsString(m);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })));
    p.run().waitUntilFinish();
    assertEquals(List.of(JSON.writeValueAsString(fit(sample(), 1))), fitted.get());
  }

  @Test
  public void fitsAnEmptyTrainingSplit() {
    FittedStep step = restore(fit(List.of(), 1));
    Object missing = input() == ValueType.NUMBER ? (Object) Double.NaN : null;
    step.apply(missing, new float[Math.max(1, step.width())], 0);
  }

  @Test
  public void stateRoundTripsThroughJson() throws Exception {
    Map<String, Object> state = fit(sample(), 1);
    Map<String, Object> reread = JSON.readValue(JSON.writeValueAsString(state), new TypeReference<LinkedHashMap<String, Object>>() {});
    assertEquals(applyAll(restore(state)), applyAll(restore(reread)));
    assertEquals(JSON.writeValueAsString(restore(state).state()), JSON.writeValueAsString(restore(reread).state()));
  }

  @Test
  public void writesAsManyFeaturesAsItNames() {
    FittedStep step = restore(fit(sample(), 1));
    assertEquals(step.width(), step.featureNames("c").size());
    assertEquals(feature().outputType(stageConfig(), input()), step.outputType());
  }

  @Test
  public void analyzerAndStepSurviveSerialization() {
    var analyzer = analyzer();
    if (analyzer != null) {
      SerializableUtils.ensureSerializable(analyzer);
    }
    FittedStep step = restore(fit(sample(), 1));
    FittedStep copy = SerializableUtils.clone(step);
    for (Object v : sample()) {
      float[] a = new float[Math.max(1, step.width())];
      float[] b = new float[a.length];
      assertEquals(String.valueOf(step.apply(v, a, 0)), String.valueOf(copy.apply(v, b, 0)));
      assertArrayEquals(a, b);
    }
  }
}
