package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.TrainedModel;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;

/** Scores examples in batches with the trained model (a side input); outputs (split, scored row). */
final class PredictFn extends DoFn<Example, KV<String, Scored>> {
  private static final long serialVersionUID = 1L;
  private static final int BATCH = 4096;

  private final PlannedStage trainer;
  private final PCollectionView<TrainedModel> modelView;
  private final PCollectionView<String> transformView;
  private final StageClock clock = new StageClock("predict");
  private transient TransformCache cache;
  private transient Predictor predictor;
  private transient TrainedModel loaded;
  private transient List<Example> batch;
  private transient BoundedWindow window;

  PredictFn(PlannedStage trainer, PCollectionView<TrainedModel> modelView, PCollectionView<String> transformView) {
    this.trainer = trainer;
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
    batch = new ArrayList<>();
  }

  @ProcessElement
  public void process(ProcessContext c, BoundedWindow w) throws Exception {
    TrainedModel model = c.sideInput(modelView);
    lastTransform = c.sideInput(transformView);
    FeatureTransform transform = cache.get(lastTransform);
    if (loaded != model) {
      if (predictor != null) {
        predictor.close();
      }
      predictor = WorkerPlugins.registry().trainer(trainer.id(), "trainer").create(trainer.config(), transform.label().task())
          .predictor(model.bytes());
      loaded = model;
    }
    window = w;
    clock.count(0, 0, 0);
    batch.add(c.element());
    if (batch.size() >= BATCH) {
      flush(c::output, transform);
    }
  }

  @FinishBundle
  public void finish(FinishBundleContext c) {
    if (!batch.isEmpty()) {
      FeatureTransform transform = cache.get(lastTransform);
      flush(kv -> c.output(kv, BoundedWindow.TIMESTAMP_MIN_VALUE, window), transform);
    }
    clock.finish();
  }

  private transient String lastTransform;

  private void flush(java.util.function.Consumer<KV<String, Scored>> out, FeatureTransform transform) {
    FeatureMatrix m = Matrices.dense(batch, transform.width(), transform.featureNames(), false);
    float[][] predictions = predictor.predict(m);
    for (int i = 0; i < batch.size(); i++) {
      Example e = batch.get(i);
      out.accept(KV.of(e.split().label(), new Scored(e.id(), e.label(), e.weight(), predictions[i])));
    }
    clock.count(batch.size(), batch.size(), 0);
    batch.clear();
  }

  @Teardown
  public void teardown() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
