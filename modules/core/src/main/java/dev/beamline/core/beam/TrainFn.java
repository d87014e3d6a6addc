package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plan.TuningPlan;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.features.LabelSpec;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.model.IterationMetrics;
import dev.beamline.spi.model.TaskType;
import dev.beamline.spi.model.TrainedModel;
import dev.beamline.spi.model.Trainer;
import dev.beamline.spi.model.TrainingRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Trains on every training and validation row, gathered on one worker and ordered by row id (so the
 * trainer sees the same matrix on every runner), with the pipeline's settings or the search's winner's
 * ({@link #config}), then writes the model file and the history into the run's
 * staging directory. A sentinel row keeps the group non-empty, so an empty training split is reported
 * instead of silently producing no model.
 */
final class TrainFn extends DoFn<KV<Integer, Iterable<ExampleFile>>, TrainedModel> {
  private static final long serialVersionUID = 1L;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainFn.class);

  /** The sentinel: an empty block that keeps the group from being empty. */
  static ExampleFile sentinel() {
    return ExampleFile.empty(Split.TEST);
  }

  private final PlannedStage trainer;
  /** The search, or null without one. */
  private final TuningPlan tuning;
  private final PCollectionView<Tune.Winner> bestTrial;
  private final PCollectionView<String> transformView;
  private final String stagingDir;
  private final String splitDescription;
  private final StageClock clock = new StageClock("train");
  /** The workers that train together, or null: this one trains on every row. */
  private final TrainingGroup group;
  private transient TransformCache cache;

  /**
   * @param bestTrial what the search chose, whose trainer is used; null without a search
   * @param group the workers that train together, or null for one
   */
  TrainFn(RunPlan plan, PCollectionView<String> transformView, PCollectionView<Tune.Winner> bestTrial, String stagingDir,
      String splitDescription, TrainingGroup group) {
    this.group = group;
    this.trainer = plan.trainer();
    this.tuning = plan.tuning();
    this.bestTrial = bestTrial;
    this.transformView = transformView;
    this.stagingDir = stagingDir;
    this.splitDescription = splitDescription;
  }

  @Setup
  public void setup() {
    cache = new TransformCache();
  }

  @ProcessElement
  public void process(ProcessContext c) throws Exception {
    clock.count(0, 0, 0);
    FeatureTransform transform = cache.get(c.sideInput(transformView));
    int worker = group == null ? 0 : group.workerOf(c.element().getKey());
    Rows rows = rows(c.element().getValue(), transform);
    Tune.Winner best = bestTrial == null ? null : c.sideInput(bestTrial);
    TrainerFactory factory = WorkerPlugins.registry().trainer(trainer.id(), WorkerPlugins.where("trainer"));
    Trainer t = factory.create(config(factory, best), transform.label().task());
    TrainedModel model = group == null ? t.train(rows.train(), rows.validation()) : trainAsMember(t, worker, rows);
    if (worker == 0) { // every worker of a group has the same model: the first writes it
      write(c, model, best);
    }
    clock.count(rows.count(), worker == 0 ? 1 : 0, 0);
    clock.finish();
  }

  /** A worker's training rows and its validation rows (null when no worker of the group has any). */
  private record Rows(TrainingRows train, TrainingRows validation) {
    int count() {
      return train.rows() + (validation == null ? 0 : validation.rows());
    }
  }

  /**
   * The rows of this worker's example files, by row id, handed to the trainer block by block ({@link ExampleRows}).
   * A split is there when any worker has rows of it: a worker of a group hears of the others' (an empty block each),
   * so that all decide alike whether to train and whether to evaluate on validation rows.
   */
  private Rows rows(Iterable<ExampleFile> files, FeatureTransform transform) {
    List<ExampleFile> train = new ArrayList<>();
    List<ExampleFile> validation = new ArrayList<>();
    boolean training = false;
    boolean validating = false;
    for (ExampleFile b : files) {
      training |= b.split() == Split.TRAIN;
      validating |= b.split() == Split.VALIDATION;
      if (b.rows() > 0 && b.split() != Split.TEST) {
        (b.split() == Split.VALIDATION ? validation : train).add(b);
      }
    }
    if (!training) {
      throw new ConfigException("the training split is empty (" + splitDescription
          + "); check the inputs, the split settings and the rejected rows");
    }
    if (group == null) {
      oneClassCheck(train, transform.label());
    }
    boolean weighted = transform.weightColumn() != null;
    ExampleRows trainRows = ExampleRows.of(train, transform.width(), transform.featureNames(), weighted);
    ExampleRows validationRows = validating ? ExampleRows.of(validation, transform.width(), transform.featureNames(), weighted) : null;
    if (!trainRows.byBlock() || (validationRows != null && !validationRows.byBlock())) {
      LOG.info("the example blocks' row ids interleave: the rows are joined into one matrix by id before training");
    }
    return new Rows(trainRows, validationRows);
  }

  /**
   * Refuses a classification whose training rows all have one class (a model of one class predicts it for every
   * row, and XGBoost's auc is undefined): most often a {@code label.positive} that does not match the data's values.
   * A worker of a group sees only its share, so only a single worker checks.
   */
  private void oneClassCheck(List<ExampleFile> train, LabelSpec label) {
    if (label.task().type() != TaskType.BINARY && label.task().type() != TaskType.MULTICLASS) {
      return;
    }
    float only = Float.NaN;
    int rows = 0;
    for (ExampleFile f : train) {
      if (Float.isNaN(f.label()) || (rows > 0 && f.label() != only)) {
        return; // two classes at least
      }
      only = f.label();
      rows += f.rows();
    }
    if (rows > 0) {
      throw new ConfigException(label.oneClass(only, rows) + " (" + splitDescription + ")");
    }
  }

  /** Trains as worker {@code worker} of the group, saying in the log which task of the runner it runs in. */
  private TrainedModel trainAsMember(Trainer t, int worker, Rows rows) throws Exception {
    // The thread names the runner's task (Flink: "... (2/4)#0"), which shows that each worker had one of its own.
    LOG.info("worker {} of {} trains on {} training and {} validation rows in {}", worker, group.workers(), rows.train().rows(),
        rows.validation() == null ? 0 : rows.validation().rows(), task(Thread.currentThread().getName()));
    return t.train(rows.train(), rows.validation(), group.member(worker));
  }

  /** Writes the model file, {@code history.json} and {@code trainer.json}, and puts the model out. */
  private void write(ProcessContext c, TrainedModel model, Tune.Winner best) throws java.io.IOException {
    RunFiles.write(stagingDir, "model/" + model.fileName(), model.bytes());
    RunFiles.write(stagingDir, "history.json", Json.pretty(history(model)));
    Map<String, Object> trainer = new LinkedHashMap<>();
    trainer.put("id", this.trainer.id());
    trainer.put("file", model.fileName());
    trainer.put("flavor", model.flavor());
    trainer.put("flavorProperties", model.flavorProperties());
    trainer.put("bestIteration", model.bestIteration());
    if (best != null) {
      trainer.put("trial", best.trial() + 1);
      trainer.put("trialValues", tuning.trials().get(best.trial()).values());
      if (best.rounds() > 0) {
        trainer.put("refitRounds", best.rounds());
      }
    }
    trainer.put("info", model.info());
    RunFiles.write(stagingDir, "model/trainer.json", Json.pretty(trainer));
    c.output(model);
  }

  /** The runner's task in a thread's name: Flink's {@code "... (2/4)#0"} as {@code "task 2/4"}, else the name. */
  static String task(String thread) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\((\\d+/\\d+)\\)#\\d+$").matcher(thread);
    return m.find() ? "task " + m.group(1) : "thread " + thread;
  }

  /**
   * The trainer's configuration: the pipeline's; the search's best trial's; or, when the search refits, the best
   * trial's for the rounds its folds chose, without early stopping.
   */
  private StageConfig config(TrainerFactory factory, Tune.Winner best) {
    if (best == null) {
      return trainer.config();
    }
    if (best.rounds() == 0) {
      return tuning.trials().get(best.trial()).trainer().config();
    }
    return factory.configSpec().validate("trainer (trial " + (best.trial() + 1) + " for " + best.rounds() + " rounds)",
        tuning.refitValues(best.trial(), best.rounds()));
  }

  static Map<String, Object> history(TrainedModel model) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("bestIteration", model.bestIteration());
    List<Map<String, Object>> iterations = new ArrayList<>();
    for (IterationMetrics m : model.history()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("iteration", m.iteration());
      m.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> row.put(e.getKey(), new java.util.TreeMap<>(e.getValue())));
      iterations.add(row);
    }
    out.put("iterations", iterations);
    return out;
  }
}
