package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.spi.model.TrainedModel;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The predict stage: every example is scored with the trained model (a side input) by the trainer's
 * predictor; each split's scored rows go into the evaluator's partial accumulators (the output), and the
 * test rows' predictions are written to {@code predictions/test.csv} in row id order.
 */
final class Predict extends PTransform<PCollection<ExampleFile>, PCollection<KV<String, EvaluateFn.Acc>>> {
  private static final long serialVersionUID = 1L;
  private final RunPlan plan;
  private final PCollectionView<TrainedModel> model;
  private final PCollectionView<String> transform;
  private final Rejections rejections;
  private final String staging;

  Predict(RunPlan plan, PCollectionView<TrainedModel> model, PCollectionView<String> transform, Rejections rejections, String staging) {
    this.plan = plan;
    this.model = model;
    this.transform = transform;
    this.rejections = rejections;
    this.staging = staging;
  }

  @Override
  public PCollection<KV<String, EvaluateFn.Acc>> expand(PCollection<ExampleFile> examples) {
    var out = examples.apply("Score", ParDo.of(new PredictFn(plan.trainer(), plan.evaluator(), model, transform, rejections))
        .withSideInputs(model, transform).withOutputTags(PredictFn.PARTIALS, TupleTagList.of(PredictFn.TEST_PREDICTIONS)));
    out.get(PredictFn.TEST_PREDICTIONS).setCoder(LineBlock.CODER)
        .apply("One predictions group", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), LineBlock.CODER))
        .apply("Gather test predictions", GroupByKey.create())
        .apply("Write test predictions", ParDo.of(new WriteFns.WritePredictions(staging, transform)).withSideInputs(transform));
    PCollection<KV<String, EvaluateFn.Acc>> partials = out.get(PredictFn.PARTIALS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AccumulatorCoder.of(EvaluateFn.Acc.class)));
    TrainingPipeline.markDone(partials, "predict");
    return partials;
  }
}
