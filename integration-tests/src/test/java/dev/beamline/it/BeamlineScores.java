package dev.beamline.it;

import dev.beamline.core.plan.Planner;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.core.spec.SpecParser;
import dev.beamline.features.FeatureTransform;
import dev.beamline.features.TransformJson;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Trainer;
import dev.beamline.testkit.TestPipelines;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.Pipeline;

/**
 * Beamline's own scoring of a pipeline's source with a finished run's model: the source plugin reads it as
 * the pipeline does, {@code transform.json} is applied by the same code as in training, and the trainer's
 * predictor scores the rows. Writes the model's input columns and Beamline's prediction as CSV, for
 * Python to score the same rows with MLflow.
 */
final class BeamlineScores {
  private BeamlineScores() {}

  /** Scores {@code source} of {@code spec} with the model of {@code run}; writes {@code csv}; returns the row count. */
  static int write(Path spec, String source, Path run, Path csv) throws Exception {
    PluginRegistry registry = PluginRegistry.discover();
    RunPlan plan = new Planner(registry).plan(SpecParser.read(spec, List.of()));
    SourceStage stage = plan.sources().stream().filter(s -> s.name().equals(source)).findFirst().orElseThrow().stage();
    Pipeline p = TestPipelines.create();
    TestPipelines.Sink<Record> rows = TestPipelines.collectRows(p.apply(stage.read(plan.schema())));
    p.run().waitUntilFinish();
    List<Record> records = rows.get();
    records.sort(Comparator.comparingLong(Record::id));

    FeatureTransform transform = TransformJson.read(Files.readString(run.resolve("model/transform.json")), WorkerPlugins.steps());
    int width = transform.width();
    float[] values = new float[records.size() * width];
    for (int i = 0; i < records.size(); i++) {
      transform.apply(records.get(i), values, i * width);
    }
    float[] labels = new float[records.size()];
    Arrays.fill(labels, Float.NaN);
    FeatureMatrix matrix = new FeatureMatrix(records.size(), width, transform.featureNames(), null, null, values, labels, null);
    Trainer trainer = registry.trainer(plan.trainer().id(), "trainer").create(plan.trainer().config(), transform.label().task());
    float[][] scores;
    try (Predictor predictor = trainer.predictor(Files.readAllBytes(run.resolve("model/model.ubj")))) {
      scores = predictor.predict(matrix);
    }
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      out.write(String.join(",", transform.featureNames()) + ",beamline_prediction\n");
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < records.size(); i++) {
        line.setLength(0);
        for (int c = 0; c < width; c++) {
          float v = values[i * width + c];
          line.append(Float.isNaN(v) ? "" : Float.toString(v)).append(',');
        }
        line.append(String.format(Locale.ROOT, "%.9g", scores[i][0])).append('\n');
        out.write(line.toString());
      }
    }
    return records.size();
  }
}
