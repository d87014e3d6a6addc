package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.TrainedModel;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * Scores each block of examples with the trained model (a side input) and adds the scored rows to the
 * evaluator's partial accumulator of their split; outputs (split, partial accumulator) once per bundle on
 * {@link #PARTIALS}, and each block's test rows as CSV lines (source, file, line, label, scores) on
 * {@link #TEST_PREDICTIONS}.
 */
final class PredictFn extends DoFn<ExampleFile, KV<String, EvaluateFn.Acc>> {
  private static final long serialVersionUID = 1L;

  /** (split, partial evaluator accumulator), once per split per bundle. */
  static final TupleTag<KV<String, EvaluateFn.Acc>> PARTIALS = new TupleTag<>("partials") {};
  /** Per block of test rows: a CSV line per row (source, file, line, label, then the prediction's values). */
  static final TupleTag<LineBlock> TEST_PREDICTIONS = new TupleTag<>("test-predictions") {};

  private final PlannedStage trainer;
  private final PCollectionView<TrainedModel> modelView;
  private final PCollectionView<String> transformView;
  private final EvaluateFn.Evaluator evaluator;
  private final StageClock clock = new StageClock("predict");
  private transient TransformCache cache;
  private transient Predictor predictor;
  private transient TrainedModel loaded;
  private transient java.util.Map<Split, Object> partials;
  private transient org.apache.beam.sdk.transforms.windowing.BoundedWindow window;

  private final Rejections where;

  PredictFn(PlannedStage trainer, PlannedStage evaluator, PCollectionView<TrainedModel> modelView,
      PCollectionView<String> transformView, Rejections where) {
    this.where = where;
    this.trainer = trainer;
    this.evaluator = new EvaluateFn.Evaluator(evaluator);
    this.modelView = modelView;
    this.transformView = transformView;
  }

  @Setup
  public void setup() {
    cache = new TransformCache();
  }

  @StartBundle
  public void start() {
    clock.start();
    partials = new java.util.EnumMap<>(Split.class);
  }

  @ProcessElement
  public void process(ProcessContext c, org.apache.beam.sdk.transforms.windowing.BoundedWindow w) throws Exception {
    window = w;
    ExampleFile file = c.element();
    if (file.rows() == 0) {
      return;
    }
    clock.count(0, 0, 0);
    TrainedModel model = c.sideInput(modelView);
    FeatureTransform transform = cache.get(c.sideInput(transformView));
    if (loaded != model) {
      if (predictor != null) {
        predictor.close();
      }
      predictor = WorkerPlugins.registry().trainer(trainer.id(), WorkerPlugins.where("trainer")).create(trainer.config(), transform.label().task())
          .predictor(model.bytes());
      loaded = model;
    }
    ExampleBlock block = file.read();
    float[][] predictions = predictor.predict(Matrices.of(block, transform.featureNames(), false));
    var fn = evaluator.fn(transform.label().task());
    Object acc = partials.computeIfAbsent(block.split(), k -> fn.createAccumulator());
    for (int i = 0; i < block.rows(); i++) {
      acc = fn.addInput(acc, new Scored(block.ids()[i], block.labels()[i], block.weights()[i], predictions[i]));
    }
    partials.put(block.split(), acc);
    if (block.split() == Split.TEST) {
      boolean regression = transform.label().task().type() == dev.beamline.spi.model.TaskType.REGRESSION;
      StringBuilder line = new StringBuilder();
      String[] lines = new String[block.rows()];
      for (int i = 0; i < block.rows(); i++) {
        line.setLength(0);
        PredictionCsv.rowId(line, where, block.ids()[i]).append(',');
        if (regression) {
          line.append(block.labels()[i]);
        } else {
          line.append((int) block.labels()[i]); // the class index
        }
        lines[i] = PredictionCsv.scores(line, predictions[i]).toString();
      }
      c.output(TEST_PREDICTIONS, new LineBlock(block.ids(), lines));
    }
    clock.count(block.rows(), block.rows(), 0);
  }

  /** One partial accumulator per split per bundle goes on to the evaluator's merge. */
  @FinishBundle
  public void finish(FinishBundleContext c) {
    partials.forEach((split, acc) -> c.output(PARTIALS, KV.of(split.label(), new EvaluateFn.Acc(acc)),
        org.apache.beam.sdk.transforms.windowing.BoundedWindow.TIMESTAMP_MIN_VALUE, window));
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
