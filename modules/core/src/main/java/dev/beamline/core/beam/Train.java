package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.spi.model.TrainedModel;
import java.util.List;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The train stage: the handles of the training and validation examples are gathered on one worker (a
 * sentinel makes sure it runs, and fails clearly, when both are empty), the rows are ordered by id and the
 * trainer plugin trains, with the settings of the search's best trial when there was a search; the model
 * file, {@code trainer.json} and {@code history.json} are written.
 */
final class Train extends PTransform<PCollectionList<ExampleFile>, PCollection<TrainedModel>> {
  private static final long serialVersionUID = 1L;
  private final RunPlan plan;
  private final PCollectionView<String> transform;
  /** The search's best trial, whose settings the model is trained with; null without a search. */
  private final PCollectionView<Tune.Winner> bestTrial;
  private final String staging;
  private final String splitDescription;

  Train(RunPlan plan, PCollectionView<String> transform, PCollectionView<Tune.Winner> bestTrial, String staging, String splitDescription) {
    this.plan = plan;
    this.transform = transform;
    this.bestTrial = bestTrial;
    this.staging = staging;
    this.splitDescription = splitDescription;
  }

  @Override
  public PCollection<TrainedModel> expand(PCollectionList<ExampleFile> trainAndValidation) {
    PCollection<TrainedModel> model = trainAndValidation
        .apply("Training rows", Flatten.pCollections())
        .apply("Gather", OneWorker.withSentinel(ApplyFeatures.EXAMPLE_FILE_CODER, TrainFn.sentinel()))
        .apply("Fit model", ParDo.of(new TrainFn(plan, transform, bestTrial, staging, splitDescription))
            .withSideInputs(bestTrial == null ? List.of(transform) : List.of(transform, bestTrial)))
        .setCoder(SerializableCoder.of(TrainedModel.class));
    TrainingPipeline.markDone(model, "train");
    return model;
  }
}
