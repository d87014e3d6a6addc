package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.spi.beam.RecordBlock;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

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

  @Override
  public PCollection<String> expand(PCollection<RecordBlock> train) {
    PCollection<String> transformJson = train.apply("Fit steps", Combine.globally(new FitTransformFn(plan))).setCoder(StringUtf8Coder.of());
    transformJson.apply("Write transform", ParDo.of(new WriteFns.WriteText(staging, "model/transform.json", "fit")));
    TrainingPipeline.markDone(transformJson, "fit");
    train.apply("Input example", Combine.globally(new InputExampleFn(plan.schema(), plan.features().stream()
            .map(RunPlan.ColumnPlan::column).distinct().toList())))
        .setCoder(StringUtf8Coder.of())
        .apply("Write input example", ParDo.of(new WriteFns.WriteText(staging, "model/input_example.json", "fit")));
    return transformJson;
  }
}
