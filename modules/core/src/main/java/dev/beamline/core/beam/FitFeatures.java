package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.beam.RecordBlockCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.CombineFns;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The fit stage: every feature step of every column (and the label's classes when fitted) in one pass over
 * the training split, written as {@code model/transform.json}; the model's raw input example comes from the
 * same rows. The output is the transform's JSON, which the transform, train, predict and evaluate stages
 * read as a side input.
 */
final class FitFeatures extends PTransform<PCollection<RecordBlock>, PCollection<String>> {
  private static final long serialVersionUID = 1L;
  private final RunPlan plan;
  private final String staging;

  FitFeatures(RunPlan plan, String staging) {
    this.plan = plan;
    this.staging = staging;
  }

  /**
   * The steps and the input example are fitted in one combine: each training block is read once by it, which on
   * Flink is one consumer of the split's output fewer (each consumer gets its own serialized copy of every block).
   */
  @Override
  public PCollection<String> expand(PCollection<RecordBlock> train) {
    PCollection<CombineFns.CoCombineResult> fitted = train.apply("Fit steps", Combine.globally(CombineFns.compose()
            .with(new Same(), RecordBlockCoder.of(), new FitTransformFn(plan), STEPS)
            .with(new Same(), RecordBlockCoder.of(), new InputExampleFn(plan.schema(), plan.features().stream()
                .map(RunPlan.ColumnPlan::column).distinct().toList()), EXAMPLE)))
        .setCoder(SerializableCoder.of(CombineFns.CoCombineResult.class));
    PCollection<String> transformJson = fitted.apply("Steps", part(STEPS)).setCoder(StringUtf8Coder.of());
    transformJson.apply("Write transform", ParDo.of(new WriteFns.WriteText(staging, "model/transform.json", "fit")));
    TrainingPipeline.markDone(transformJson, "fit");
    fitted.apply("Input example", part(EXAMPLE)).setCoder(StringUtf8Coder.of())
        .apply("Write input example", ParDo.of(new WriteFns.WriteText(staging, "model/input_example.json", "fit")));
    return transformJson;
  }

  private static final TupleTag<String> STEPS = new TupleTag<>("steps");
  private static final TupleTag<String> EXAMPLE = new TupleTag<>("example");

  /** Each combine of the two reads the block itself. */
  private static final class Same extends SimpleFunction<RecordBlock, RecordBlock> {
    private static final long serialVersionUID = 1L;

    @Override
    public RecordBlock apply(RecordBlock block) {
      return block;
    }
  }

  private static MapElements<CombineFns.CoCombineResult, String> part(TupleTag<String> tag) {
    return MapElements.into(TypeDescriptors.strings()).via(result -> result.get(tag));
  }
}
