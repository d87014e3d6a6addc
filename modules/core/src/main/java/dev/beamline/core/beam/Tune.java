package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plan.TuningPlan;
import dev.beamline.core.spec.TuningSpec;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.beam.RecordBlockCoder;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The tune stage: a search over the trainer's settings, run as a fan-out on the runner. The folds' data is
 * made once ({@link #crossValidation}: each training row dealt into a fold, each fold's transform fitted on
 * the other folds' rows alone and applied to every training row, so that no held-out row shapes the features
 * it is scored with); then every (trial, fold) pair is a task of its own ({@link TrialFn}), spread over the
 * workers, rung after rung with successive halving ({@link PromoteFn}); the scores are gathered and the best
 * trial picked ({@link PickBestFn}). The output is the {@link Winner}, which the train stage reads to train
 * the run's model on the whole training split.
 */
final class Tune extends PTransform<PCollectionTuple, PCollectionView<Tune.Winner>> {
  private static final long serialVersionUID = 1L;
  /** The stage's name, as the CLI reports it. */
  static final String STAGE = "tune";
  /** The stage that makes the folds' data (k-fold cross-validation only). */
  static final String FOLDS = "folds";
  /** The training split's rows. */
  static final TupleTag<RecordBlock> ROWS = new TupleTag<>("training rows") {};
  /** The run's own training and validation examples (trials scored on the validation split use them). */
  static final TupleTag<ExampleFile> EXAMPLES = new TupleTag<>("training examples") {};
  /** The run's own transform, fitted on the whole training split. */
  static final TupleTag<String> TRANSFORM = new TupleTag<>("transform") {};

  /**
   * What the search chose.
   *
   * @param trial the best trial's index
   * @param rounds the rounds to retrain it for on every training row, or 0 to train it as configured
   */
  record Winner(int trial, int rounds) implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final RunPlan plan;
  private final TuningPlan tuning;
  private final Rejections rejections;
  private final String staging;

  Tune(RunPlan plan, Rejections rejections, String staging) {
    this.plan = plan;
    this.tuning = plan.tuning();
    this.rejections = rejections;
    this.staging = staging;
  }

  /** What the trials read: each fold's transform and examples, and the fold of each row (null for the validation split). */
  private record Folds(PCollectionView<Map<Integer, String>> transforms, PCollectionView<Map<Integer, Iterable<ExampleFile>>> examples,
      PCollectionView<FoldAssignment> assignment) {}

  @Override
  public PCollectionView<Winner> expand(PCollectionTuple input) {
    TuningSpec spec = tuning.spec();
    Folds folds = spec.onValidationSplit() ? validationSplit(input) : crossValidation(input.get(ROWS));
    PCollection<FoldScore> scores = trials(input.getPipeline(), folds);
    PCollection<Winner> best = scores.apply("Gather scores", OneWorker.of(SCORE_CODER))
        .apply("Pick the best", ParDo.of(new PickBestFn(tuning, staging))).setCoder(SerializableCoder.of(Winner.class));
    TrainingPipeline.markDone(best, STAGE);
    return best.apply("Best trial", View.asSingleton());
  }

  private static final SerializableCoder<FoldScore> SCORE_CODER = SerializableCoder.of(FoldScore.class);

  /**
   * Every rung's scores: each rung's (trial, fold) tasks, the trials of a later rung being the best of the rung
   * before ({@link PromoteFn}). One rung but with successive halving.
   */
  private PCollection<FoldScore> trials(Pipeline p, Folds folds) {
    TuningSpec spec = tuning.spec();
    int k = spec.onValidationSplit() ? 1 : spec.folds();
    long deadline = spec.maxMinutes() > 0 ? System.currentTimeMillis() + (long) (spec.maxMinutes() * 60_000) : 0;
    List<PCollection<FoldScore>> rungs = new ArrayList<>();
    PCollectionView<List<Integer>> promoted = null;
    for (int r = 0; r < tuning.rungs().size(); r++) {
      String rung = tuning.rungs().size() == 1 ? "" : " rung " + (r + 1);
      List<PCollectionView<?>> sideInputs = new ArrayList<>(List.of(folds.transforms(), folds.examples()));
      if (folds.assignment() != null) {
        sideInputs.add(folds.assignment());
      }
      if (promoted != null) {
        sideInputs.add(promoted);
      }
      PCollection<FoldScore> scores = tasks(p, k, rung)
          .apply("Trials" + rung, ParDo.of(new TrialFn(tuning.trials(), r, promoted, k, plan.evaluator(), folds.transforms(),
              folds.examples(), folds.assignment(), deadline, staging)).withSideInputs(sideInputs))
          .setCoder(SCORE_CODER);
      rungs.add(scores);
      if (r + 1 < tuning.rungs().size()) {
        promoted = scores.apply("Gather" + rung, OneWorker.of(SCORE_CODER))
            .apply("Promote from" + rung, ParDo.of(new PromoteFn(tuning.spec(), tuning.rungs().get(r + 1).trials())))
            .setCoder(ListCoder.of(VarIntCoder.of()))
            .apply("Promoted" + rung, View.asSingleton());
      }
    }
    return rungs.size() == 1 ? rungs.get(0) : PCollectionList.of(rungs).apply("Every rung", Flatten.pCollections());
  }

  /** One task per (trial, fold), each under a key of its own, so that the runner spreads them over its workers. */
  private PCollection<KV<Integer, Iterable<Integer>>> tasks(Pipeline p, int folds, String rung) {
    List<Integer> tasks = new ArrayList<>();
    for (int t = 0; t < tuning.trials().size(); t++) {
      for (int f = 0; f < folds; f++) {
        tasks.add(TrialFn.task(t, f, folds));
      }
    }
    return p.apply("Tasks" + rung, Create.of(tasks).withCoder(VarIntCoder.of()))
        .apply("Task keys" + rung, WithKeys.of((Integer task) -> task).withKeyType(TypeDescriptors.integers()))
        .setCoder(KvCoder.of(VarIntCoder.of(), VarIntCoder.of()))
        .apply("Spread" + rung, GroupByKey.create());
  }

  /** Trials scored on the validation split: the run's own transform and examples, as fold 0. */
  private Folds validationSplit(PCollectionTuple input) {
    PCollectionView<Map<Integer, String>> transforms = input.get(TRANSFORM)
        .apply("Fold 0 transform", WithKeys.of(0)).setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
        .apply("Transforms view", View.asMap());
    PCollectionView<Map<Integer, Iterable<ExampleFile>>> examples = input.get(EXAMPLES)
        .apply("Fold 0 examples", WithKeys.of(0)).setCoder(KvCoder.of(VarIntCoder.of(), ApplyFeatures.EXAMPLE_FILE_CODER))
        .apply("Examples view", View.asMultimap());
    return new Folds(transforms, examples, null);
  }

  /**
   * K-fold cross-validation's data: the folds dealt ({@link FoldAssignment}), each fold's transform fitted on
   * the rows of the other folds, and every training row transformed by each fold's transform.
   */
  private Folds crossValidation(PCollection<RecordBlock> rows) {
    TuningSpec spec = tuning.spec();
    int k = spec.folds();
    PCollectionView<FoldAssignment> assignment = rows
        .apply("Strata", ParDo.of(new StrataFn(plan.schema(), spec.groupBy() != null ? spec.groupBy()
            : spec.stratified() ? plan.label().column() : null)))
        .setCoder(SerializableCoder.of(FoldAssignment.Strata.class))
        .apply("Deal folds", Combine.globally(new FoldAssignment.DealFn(k, spec.groupBy() != null, plan.spec().seed())))
        .setCoder(SerializableCoder.of(FoldAssignment.class))
        .apply("Folds view", View.asSingleton());
    PCollection<KV<Integer, String>> transforms = rows
        .apply("Rows of the other folds", ParDo.of(new OtherFoldsFn(assignment, k)).withSideInputs(assignment))
        .setCoder(KvCoder.of(VarIntCoder.of(), RecordBlockCoder.of()))
        .apply("Fit per fold", Combine.perKey(new FitTransformFn(plan)))
        .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()));
    List<PCollection<KV<Integer, ExampleFile>>> examples = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      int fold = f;
      PCollectionView<String> transform = transforms.apply("Fold " + f + " transform", Filter.by(kv -> kv.getKey() == fold))
          .apply("Fold " + f + " text", Values.create()).apply("Fold " + f + " view", View.asSingleton());
      // A row a fold's transform rejects (no usable label or weight) is rejected by the run's own transform too, and the
      // dead letters have it from there; only with classes fitted from the data can a fold lack a class another fold
      // has, and then that fold's trials leave its rows out.
      examples.add(rows.apply("Transform fold " + f, new ApplyFeatures(transform, Split.TRAIN, ApplyFeatures.Rows.training(List.of()),
              rejections, staging, FOLDS))
          .get(ApplyFeatures.EXAMPLES)
          .apply("Fold " + f + " examples", WithKeys.of(fold))
          .setCoder(KvCoder.of(VarIntCoder.of(), ApplyFeatures.EXAMPLE_FILE_CODER)));
    }
    PCollection<KV<Integer, ExampleFile>> all = PCollectionList.of(examples).apply("All folds' examples", Flatten.pCollections());
    TrainingPipeline.markDone(all, FOLDS);
    PCollectionView<Map<Integer, Iterable<ExampleFile>>> examplesView = all.apply("Examples view", View.asMultimap());
    return new Folds(transforms.apply("Transforms view", View.asMap()), examplesView, assignment);
  }

  /** A block's row ids by stratum: the label's value (stratified), the group column's (grouped), or one stratum. */
  static final class StrataFn extends DoFn<RecordBlock, FoldAssignment.Strata> {
    private static final long serialVersionUID = 1L;
    private final Schema schema;
    private final String column;

    StrataFn(Schema schema, String column) {
      this.schema = schema;
      this.column = column;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      Map<String, List<Long>> strata = new HashMap<>();
      for (Record r : c.element().rows()) {
        String key = column == null ? "" : String.valueOf(schema.value(r, column));
        strata.computeIfAbsent(key, x -> new ArrayList<>()).add(r.id());
      }
      HashMap<String, long[]> out = new HashMap<>();
      strata.forEach((key, ids) -> out.put(key, ids.stream().mapToLong(Long::longValue).toArray()));
      c.output(new FoldAssignment.Strata(out));
    }
  }

  /** For each fold, the block's rows that are in another fold: what that fold's transform is fitted on. */
  static final class OtherFoldsFn extends DoFn<RecordBlock, KV<Integer, RecordBlock>> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<FoldAssignment> assignment;
    private final int folds;

    OtherFoldsFn(PCollectionView<FoldAssignment> assignment, int folds) {
      this.assignment = assignment;
      this.folds = folds;
    }

    @ProcessElement
    public void process(ProcessContext c) {
      FoldAssignment a = c.sideInput(assignment);
      List<Record> rows = c.element().rows();
      int[] fold = new int[rows.size()];
      for (int i = 0; i < fold.length; i++) {
        fold[i] = a.fold(rows.get(i).id());
      }
      for (int f = 0; f < folds; f++) {
        List<Record> others = new ArrayList<>();
        for (int i = 0; i < fold.length; i++) {
          if (fold[i] != f) {
            others.add(rows.get(i));
          }
        }
        c.output(KV.of(f, new RecordBlock(others)));
      }
    }
  }
}
