package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.spi.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * The train stage: the handles of the training and validation examples are gathered on one worker (a
 * sentinel makes sure it runs, and fails clearly, when both are empty), the rows are ordered by id and the
 * trainer plugin trains, with the settings of the search's best trial when there was a search; the model
 * file, {@code trainer.json} and {@code history.json} are written. When a {@link TrainingGroup} trains together,
 * each worker's share is gathered on a task of its own instead, and the workers train one model at once.
 */
final class Train extends PTransform<PCollectionList<ExampleFile>, PCollection<TrainedModel>> {
  private static final long serialVersionUID = 1L;
  private final RunPlan plan;
  private final PCollectionView<String> transform;
  /** The search's best trial, whose settings the model is trained with; null without a search. */
  private final PCollectionView<Tune.Winner> bestTrial;
  private final String staging;
  private final String splitDescription;
  /** The workers that train together, or null: one worker trains on every row. */
  private final TrainingGroup group;

  Train(RunPlan plan, PCollectionView<String> transform, PCollectionView<Tune.Winner> bestTrial, String staging, String splitDescription,
      TrainingGroup group) {
    this.plan = plan;
    this.transform = transform;
    this.bestTrial = bestTrial;
    this.staging = staging;
    this.splitDescription = splitDescription;
    this.group = group;
  }

  @Override
  public PCollection<TrainedModel> expand(PCollectionList<ExampleFile> trainAndValidation) {
    PCollection<ExampleFile> examples = trainAndValidation.apply("Training rows", Flatten.pCollections());
    PCollection<TrainedModel> model = group == null ? onOneWorker(examples) : together(examples);
    TrainingPipeline.markDone(model.setCoder(SerializableCoder.of(TrainedModel.class)), "train");
    return model;
  }

  private PCollection<TrainedModel> onOneWorker(PCollection<ExampleFile> examples) {
    return examples
        .apply("Gather", OneWorker.withSentinel(ApplyFeatures.EXAMPLE_FILE_CODER, TrainFn.sentinel()))
        .apply("Fit model", ParDo.of(new TrainFn(plan, transform, bestTrial, staging, splitDescription, null)).withSideInputs(sideInputs()));
  }

  /**
   * Each worker's share gathered under its key, with word of the splits the others hold ({@link ShareFn}), and a
   * sentinel for every worker that makes its task run even on no rows: the others wait for it.
   */
  private PCollection<TrainedModel> together(PCollection<ExampleFile> examples) {
    List<KV<Integer, ExampleFile>> sentinels = new ArrayList<>();
    for (int p = 0; p < group.workers(); p++) {
      sentinels.add(KV.of(group.key(p), ExampleFile.empty(Split.TEST, p)));
    }
    KvCoder<Integer, ExampleFile> coder = KvCoder.of(VarIntCoder.of(), ApplyFeatures.EXAMPLE_FILE_CODER);
    PCollection<KV<Integer, ExampleFile>> shares = examples.apply("By worker", ParDo.of(new ShareFn(group))).setCoder(coder);
    return PCollectionList.of(shares).and(examples.getPipeline().apply("Worker sentinels", Create.of(sentinels).withCoder(coder)))
        .apply("With sentinels", Flatten.pCollections())
        .apply("Gather shares", GroupByKey.create())
        .apply("Fit model", ParDo.of(new TrainFn(plan, transform, bestTrial, staging, splitDescription, group)).withSideInputs(sideInputs()));
  }

  /**
   * Sends each block to its worker, and tells every worker which splits have rows (an empty block of the split), so
   * that all workers agree whether there is a training split, and a validation split to evaluate on, without a side
   * input (one computed from the same blocks stalls Flink's batch scheduler).
   */
  static final class ShareFn extends DoFn<ExampleFile, KV<Integer, ExampleFile>> {
    private static final long serialVersionUID = 1L;
    private final TrainingGroup group;
    private transient java.util.EnumSet<Split> seen;

    ShareFn(TrainingGroup group) {
      this.group = group;
    }

    @StartBundle
    public void start() {
      seen = java.util.EnumSet.noneOf(Split.class);
    }

    @ProcessElement
    public void process(@Element ExampleFile f, OutputReceiver<KV<Integer, ExampleFile>> out) {
      out.output(KV.of(group.key(f.worker()), f));
      if (f.rows() > 0) {
        seen.add(f.split());
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      for (Split split : seen) {
        for (int p = 0; p < group.workers(); p++) {
          c.output(KV.of(group.key(p), ExampleFile.empty(split, p)), BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE);
        }
      }
    }
  }

  private List<PCollectionView<?>> sideInputs() {
    return bestTrial == null ? List.of(transform) : List.of(transform, bestTrial);
  }
}
