package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TrainedModel;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Scores each block of examples with the model (a side input) through the trainer's predictor; outputs each
 * block's test rows (in scoring, every row) as prediction lines on {@link #PREDICTIONS}, and, in training, adds
 * the scored rows to the evaluator's partial accumulators: of their split, and of a test row's slices and
 * bootstrap replicates ({@link Evaluation}), output as ({@link EvaluationKey}, partial accumulator) once per
 * bundle on {@link #PARTIALS}.
 */
final class PredictFn extends DoFn<ExampleFile, KV<String, EvaluateFn.Acc>> {
  private static final long serialVersionUID = 1L;

  /** (evaluation key, partial evaluator accumulator), once per key per bundle. */
  static final TupleTag<KV<String, EvaluateFn.Acc>> PARTIALS = new TupleTag<>("partials") {};
  /** Per block of test rows: a prediction line per row. */
  static final TupleTag<LineBlock> PREDICTIONS = new TupleTag<>("predictions") {};

  private final PlannedStage trainer;
  private final PCollectionView<TrainedModel> modelView;
  private final PCollectionView<String> transformView;
  private final Evaluation evaluation;
  private final EvaluateFn.Evaluator evaluator;
  private final PredictionLines lines;
  private final Rejections where;
  private final StageClock clock = new StageClock("predict");
  private transient TransformCache cache;
  private transient Predictor predictor;
  private transient TrainedModel loaded;
  private transient Map<String, Object> partials;
  /** This bundle's bootstrap replicates' partial accumulators, by replicate. */
  private transient Object[] replicates;
  /** The task of this bundle's partial accumulators. */
  private transient Task task;
  private transient BoundedWindow window;

  /** @param evaluation what is evaluated, or {@code null} when nothing is (scoring) */
  PredictFn(PlannedStage trainer, Evaluation evaluation, PCollectionView<TrainedModel> modelView, PCollectionView<String> transformView,
      PredictionLines lines, Rejections where) {
    this.trainer = trainer;
    this.evaluation = evaluation;
    this.evaluator = evaluation == null ? null : new EvaluateFn.Evaluator(evaluation.evaluator());
    this.modelView = modelView;
    this.transformView = transformView;
    this.lines = lines;
    this.where = where;
  }

  @Setup
  public void setup() {
    cache = new TransformCache();
  }

  @StartBundle
  public void start() {
    clock.start();
    partials = new HashMap<>();
    replicates = evaluation == null ? null : new Object[evaluation.bootstrap().samples()];
  }

  @ProcessElement
  public void process(ProcessContext c, BoundedWindow w) throws Exception {
    window = w;
    ExampleFile file = c.element();
    if (file.rows() == 0) {
      return;
    }
    clock.count(0, 0, 0);
    boolean written = file.split() == Split.TEST && lines != null;
    if (evaluator != null && !written && !evaluation.splits().contains(file.split())) {
      file.discard(); // a split the run does not evaluate (evaluator.splits): its block goes unscored
      clock.count(file.rows(), 0, 0);
      return;
    }
    FeatureTransform transform = cache.get(c.sideInput(transformView));
    Predictor predictor = predictor(c.sideInput(modelView), transform.label().task());
    ExampleBlock block = file.take();
    float[][] predictions = predictor.predict(Matrices.of(block, transform.featureNames(), false));
    if (evaluator != null && evaluation.splits().contains(block.split())) {
      addToPartials(transform.label().task(), block, predictions, evaluation.slicer() == null ? null : c.sideInput(evaluation.slicer()));
    }
    if (written) {
      String[] text = new String[block.rows()];
      for (int i = 0; i < block.rows(); i++) {
        text[i] = lines.line(transform.label().task(), where, block, i, predictions[i]);
      }
      c.output(PREDICTIONS, new LineBlock(block.ids(), text));
    }
    clock.count(block.rows(), block.rows(), 0);
  }

  /** The trainer's predictor of {@code model}, made once per model. */
  private Predictor predictor(TrainedModel model, Task task) throws Exception {
    if (loaded != model) {
      if (predictor != null) {
        predictor.close();
      }
      predictor = WorkerPlugins.registry().trainer(trainer.id(), WorkerPlugins.where("trainer")).predictor(model.bytes(), task);
      loaded = model;
    }
    return predictor;
  }

  /** Adds each scored row to its split's accumulator and, a test row, to its slices' and bootstrap replicates'. */
  private void addToPartials(Task task, ExampleBlock block, float[][] predictions, Slicer slicer) {
    var fn = evaluator.fn(task);
    this.task = task;
    boolean test = block.split() == Split.TEST && evaluation.model() == null;
    String key = evaluation.model() == null ? EvaluationKey.split(block.split()) : EvaluationKey.model(evaluation.model());
    Bootstrap bootstrap = evaluation.bootstrap();
    boolean features = evaluator.needsFeatures(task);
    int width = block.width();
    for (int i = 0; i < block.rows(); i++) {
      Scored row = new Scored(block.ids()[i], block.labels()[i], block.weights()[i], predictions[i],
          features ? java.util.Arrays.copyOfRange(block.features(), i * width, (i + 1) * width) : null);
      add(fn, key, row);
      if (!test) {
        continue;
      }
      if (slicer != null) {
        slicer.forEachSlice(block, i, slice -> add(fn, slice, row));
      }
      for (int r = 0; r < replicates.length; r++) {
        int k = bootstrap.draw(row.id(), r);
        if (k > 0) {
          Object acc = replicates[r] == null ? fn.createAccumulator() : replicates[r];
          replicates[r] = fn.addInput(acc, k == 1 ? row : new Scored(row.id(), row.label(), row.weight() * k, row.prediction(), row.features()));
        }
      }
    }
  }

  private void add(Combine.CombineFn<Scored, Object, ?> fn, String key, Scored row) {
    Object acc = partials.get(key);
    partials.put(key, fn.addInput(acc == null ? fn.createAccumulator() : acc, row));
  }

  /** One partial accumulator per key per bundle goes on to the evaluator's merge. */
  @FinishBundle
  public void finish(FinishBundleContext c) {
    partials.forEach((key, acc) -> output(c, key, acc));
    partials.clear();
    for (int r = 0; replicates != null && r < replicates.length; r++) {
      if (replicates[r] != null) {
        output(c, EvaluationKey.replicate(r), replicates[r]);
        replicates[r] = null;
      }
    }
    clock.finish();
  }

  private void output(FinishBundleContext c, String key, Object acc) {
    c.output(PARTIALS, KV.of(key, new EvaluateFn.Acc(task, acc)), BoundedWindow.TIMESTAMP_MIN_VALUE, window);
  }

  @Teardown
  public void teardown() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
