package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.core.plan.TuningPlan.Trial;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.features.FeatureTransform;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TrainedModel;
import dev.beamline.spi.model.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Runs one task of a search: one trial on one fold. Trains the trial's trainer on the fold's training rows
 * (the other folds', transformed by the transform fitted on them alone), with the fold's held-out rows as the
 * validation rows (early stopping and the per-round history, as XGBoost's own cross-validation does), scores
 * the held-out rows and hands them to the evaluator plugin. With successive halving, a task of a later rung
 * runs only when its trial was promoted to it. Writes {@code tuning/trial-NNN-rung-R-fold-K.json} when done,
 * which the CLI reads to report the search as it goes.
 */
final class TrialFn extends DoFn<KV<Integer, Iterable<Integer>>, FoldScore> {
  private static final long serialVersionUID = 1L;

  /** Where the tasks' reports are written in the staging directory. */
  static final String DIRECTORY = "tuning";

  private final List<Trial> trials;
  private final int rung;
  /** The trials this rung trains (the best of the rung before); null in the first rung: every trial. */
  private final PCollectionView<List<Integer>> promoted;
  private final int folds;
  private final EvaluateFn.Evaluator evaluator;
  private final PCollectionView<Map<Integer, String>> transforms;
  private final PCollectionView<Map<Integer, Iterable<ExampleFile>>> examples;
  /** The fold of each training row; null when the trials are scored on the validation split. */
  private final PCollectionView<FoldAssignment> assignment;
  /** When the search's time is spent (epoch milliseconds), 0 for never. */
  private final long deadline;
  private final String staging;
  private final StageClock clock = new StageClock(Tune.STAGE);
  private transient TransformCache cache;

  TrialFn(List<Trial> trials, int rung, PCollectionView<List<Integer>> promoted, int folds, PlannedStage evaluator, PCollectionView<Map<Integer, String>> transforms,
      PCollectionView<Map<Integer, Iterable<ExampleFile>>> examples, PCollectionView<FoldAssignment> assignment, long deadline,
      String staging) {
    this.trials = trials;
    this.rung = rung;
    this.promoted = promoted;
    this.folds = folds;
    this.evaluator = new EvaluateFn.Evaluator(evaluator);
    this.transforms = transforms;
    this.examples = examples;
    this.assignment = assignment;
    this.deadline = deadline;
    this.staging = staging;
  }

  /** The task of trial {@code trial} on fold {@code fold}: trial-major, so a trial's folds come together. */
  static int task(int trial, int fold, int folds) {
    return trial * folds + fold;
  }

  @Setup
  public void setup() {
    cache = new TransformCache();
  }

  @ProcessElement
  public void process(ProcessContext c) throws Exception {
    int task = c.element().getKey();
    int trial = task / folds;
    int fold = task % folds;
    if (promoted != null && !c.sideInput(promoted).contains(trial)) {
      return; // stopped at an earlier rung
    }
    if (deadline > 0 && System.currentTimeMillis() > deadline) {
      c.output(report(FoldScore.skipped(trial, rung, fold)));
      return;
    }
    clock.count(0, 0, 0);
    long start = System.nanoTime();
    FeatureTransform transform = cache.get(c.sideInput(transforms).get(fold));
    List<ExampleFile> files = new ArrayList<>();
    c.sideInput(examples).getOrDefault(fold, List.of()).forEach(files::add);
    FeatureMatrix[] parts = assignment == null ? bySplit(files, transform) : byFold(files, transform, c.sideInput(assignment), fold);
    Task kind = transform.label().task();
    PlannedStage stage = trials.get(trial).rungs().get(rung);
    Trainer trainer = WorkerPlugins.registry().trainer(stage.id(), WorkerPlugins.where("trainer")).create(stage.config(), kind);
    TrainedModel model = trainer.train(parts[0], parts[1]);
    float[][] predicted;
    try (Predictor predictor = trainer.predictor(model.bytes())) {
      predicted = predictor.predict(parts[1]);
    }
    Map<String, Double> metrics = evaluate(kind, parts[1], predicted);
    FoldScore score = new FoldScore(trial, rung, fold, metrics, model.bestIteration(), model.history().size(),
        (System.nanoTime() - start) / 1e9, parts[0].rows(), parts[1].rows(), TrainFn.history(model), false);
    c.output(report(score));
    clock.count(parts[0].rows(), 1, 0);
    clock.finish();
  }

  /** Trials scored on the validation split: the run's own training and validation examples. */
  private static FeatureMatrix[] bySplit(List<ExampleFile> files, FeatureTransform transform) throws java.io.IOException {
    List<ExampleFile> train = files.stream().filter(f -> f.split() == Split.TRAIN).toList();
    List<ExampleFile> validation = files.stream().filter(f -> f.split() == Split.VALIDATION).toList();
    boolean weighted = transform.weightColumn() != null;
    return new FeatureMatrix[] {Matrices.byId(train, transform.width(), transform.featureNames(), weighted),
        Matrices.byId(validation, transform.width(), transform.featureNames(), weighted)};
  }

  /** The fold's examples (every training row, transformed by the fold's transform) parted into its training and held-out rows. */
  private static FeatureMatrix[] byFold(List<ExampleFile> files, FeatureTransform transform, FoldAssignment assignment, int fold)
      throws java.io.IOException {
    long[] ids = Matrices.sortedIds(files);
    FeatureMatrix all = Matrices.byId(files, ids, transform.width(), transform.featureNames(), transform.weightColumn() != null);
    boolean[] heldOut = new boolean[ids.length];
    int held = 0;
    for (int i = 0; i < ids.length; i++) {
      heldOut[i] = assignment.fold(ids[i]) == fold;
      held += heldOut[i] ? 1 : 0;
    }
    int[] train = new int[ids.length - held];
    int[] out = new int[held];
    int t = 0;
    int o = 0;
    for (int i = 0; i < ids.length; i++) {
      if (heldOut[i]) {
        out[o++] = i;
      } else {
        train[t++] = i;
      }
    }
    return new FeatureMatrix[] {Matrices.rows(all, train), Matrices.rows(all, out)};
  }

  private Map<String, Double> evaluate(Task task, FeatureMatrix rows, float[][] predicted) {
    Combine.CombineFn<Scored, Object, Map<String, Double>> fn = evaluator.fn(task);
    Object acc = fn.createAccumulator();
    boolean features = evaluator.needsFeatures(task);
    for (int i = 0; i < rows.rows(); i++) {
      acc = fn.addInput(acc, new Scored(i, rows.labels()[i], rows.weights() == null ? 1 : rows.weights()[i], predicted[i],
          features ? rows.row(i) : null));
    }
    return new LinkedHashMap<>(fn.extractOutput(acc));
  }

  /** Writes the task's report for the CLI, and returns the score. */
  private FoldScore report(FoldScore s) throws java.io.IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("trial", s.trial() + 1);
    out.putAll(s.toJson());
    RunFiles.write(staging, DIRECTORY + "/" + String.format("trial-%03d-rung-%d-fold-%d.json", s.trial() + 1, s.rung(), s.fold()),
        Json.pretty(out));
    return s;
  }
}
