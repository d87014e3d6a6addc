package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.spi.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The predict stage, the same for training and batch scoring: every example is scored with the model (a side
 * input) by the trainer's predictor; the test rows' predictions (in scoring, every row's) are written to one
 * file in row id order, and, in training, each split's scored rows go into the evaluator's partial
 * accumulators (the output; empty in scoring).
 */
final class Predict extends PTransform<PCollection<ExampleFile>, PCollection<KV<String, EvaluateFn.Acc>>> {
  private static final long serialVersionUID = 1L;
  private final PlannedStage trainer;
  private final Evaluation evaluation;
  private final PCollectionView<TrainedModel> model;
  private final PCollectionView<String> transform;
  private final Rejections rejections;
  private final Output output;

  /**
   * Where the predictions go and in what form.
   *
   * @param staging the staging directory
   * @param file the file's path under it
   * @param lines the lines' form
   * @param stage the stage the write is reported as, or {@code null} for the predict stage itself
   */
  record Output(String staging, String file, PredictionLines lines, String stage) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * @param evaluation what is evaluated, or {@code null} when nothing is (scoring)
   * @param output where the predictions go, or {@code null} when they are not written (a champion's)
   */
  Predict(PlannedStage trainer, Evaluation evaluation, PCollectionView<TrainedModel> model, PCollectionView<String> transform,
      Rejections rejections, Output output) {
    this.trainer = trainer;
    this.evaluation = evaluation;
    this.model = model;
    this.transform = transform;
    this.rejections = rejections;
    this.output = output;
  }

  @Override
  public PCollection<KV<String, EvaluateFn.Acc>> expand(PCollection<ExampleFile> examples) {
    List<PCollectionView<?>> sideInputs = new ArrayList<>(List.of(model, transform));
    if (evaluation != null) {
      sideInputs.addAll(evaluation.sideInputs());
    }
    var out = examples.apply("Score", ParDo.of(new PredictFn(trainer, evaluation, model, transform, output == null ? null : output.lines(),
            rejections))
        .withSideInputs(sideInputs).withOutputTags(PredictFn.PARTIALS, TupleTagList.of(PredictFn.PREDICTIONS)));
    out.get(PredictFn.PREDICTIONS).setCoder(LineBlock.CODER);
    if (output != null) {
      out.get(PredictFn.PREDICTIONS).apply("Gather predictions", OneWorker.of(LineBlock.CODER))
          .apply("Write predictions", ParDo.of(new WriteFns.WritePredictions(output, transform)).withSideInputs(transform));
    }
    PCollection<KV<String, EvaluateFn.Acc>> partials = out.get(PredictFn.PARTIALS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AccumulatorCoder.of(EvaluateFn.Acc.class)));
    if (output != null) {
      TrainingPipeline.markDone(partials, "predict");
    }
    return partials;
  }
}
