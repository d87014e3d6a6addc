package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TrainedModel;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Scores each block of examples with the model (a side input) through the trainer's predictor; outputs each
 * block's test rows (in scoring, every row) as prediction lines on {@link #PREDICTIONS}, and, when there is an
 * evaluator, adds the scored rows to its partial accumulator of their split, output as (split, partial
 * accumulator) once per bundle on {@link #PARTIALS}.
 */
final class PredictFn extends DoFn<ExampleFile, KV<String, EvaluateFn.Acc>> {
  private static final long serialVersionUID = 1L;

  /** (split, partial evaluator accumulator), once per split per bundle. */
  static final TupleTag<KV<String, EvaluateFn.Acc>> PARTIALS = new TupleTag<>("partials") {};
  /** Per block of test rows: a prediction line per row. */
  static final TupleTag<LineBlock> PREDICTIONS = new TupleTag<>("predictions") {};

  private final PlannedStage trainer;
  private final PCollectionView<TrainedModel> modelView;
  private final PCollectionView<String> transformView;
  private final EvaluateFn.Evaluator evaluator;
  private final PredictionLines lines;
  private final Rejections where;
  private final StageClock clock = new StageClock("predict");
  private transient TransformCache cache;
  private transient Predictor predictor;
  private transient TrainedModel loaded;
  private transient Map<Split, Object> partials;
  private transient BoundedWindow window;

  /** @param evaluator the evaluator, or {@code null} when nothing is evaluated (scoring) */
  PredictFn(PlannedStage trainer, PlannedStage evaluator, PCollectionView<TrainedModel> modelView, PCollectionView<String> transformView,
      PredictionLines lines, Rejections where) {
    this.trainer = trainer;
    this.evaluator = evaluator == null ? null : new EvaluateFn.Evaluator(evaluator);
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
    partials = new EnumMap<>(Split.class);
  }

  @ProcessElement
  public void process(ProcessContext c, BoundedWindow w) throws Exception {
    window = w;
    ExampleFile file = c.element();
    if (file.rows() == 0) {
      return;
    }
    clock.count(0, 0, 0);
    FeatureTransform transform = cache.get(c.sideInput(transformView));
    Predictor predictor = predictor(c.sideInput(modelView), transform.label().task());
    ExampleBlock block = file.take();
    float[][] predictions = predictor.predict(Matrices.of(block, transform.featureNames(), false));
    if (evaluator != null) {
      addToPartials(transform.label().task(), block, predictions);
    }
    if (block.split() == Split.TEST) {
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
      predictor = WorkerPlugins.registry().trainer(trainer.id(), WorkerPlugins.where("trainer")).create(trainer.config(), task)
          .predictor(model.bytes());
      loaded = model;
    }
    return predictor;
  }

  private void addToPartials(Task task, ExampleBlock block, float[][] predictions) {
    var fn = evaluator.fn(task);
    Object acc = partials.computeIfAbsent(block.split(), k -> fn.createAccumulator());
    for (int i = 0; i < block.rows(); i++) {
      acc = fn.addInput(acc, new Scored(block.ids()[i], block.labels()[i], block.weights()[i], predictions[i]));
    }
    partials.put(block.split(), acc);
  }

  /** One partial accumulator per split per bundle goes on to the evaluator's merge. */
  @FinishBundle
  public void finish(FinishBundleContext c) {
    partials.forEach((split, acc) -> c.output(PARTIALS, KV.of(split.label(), new EvaluateFn.Acc(acc)), BoundedWindow.TIMESTAMP_MIN_VALUE,
        window));
    partials.clear();
    clock.finish();
  }

  @Teardown
  public void teardown() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
