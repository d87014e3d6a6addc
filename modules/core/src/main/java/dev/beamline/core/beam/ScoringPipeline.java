package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.features.TransformJson;
import dev.beamline.scoring.Bundle;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.model.TrainedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.PDone;

/**
 * Batch scoring as one Beam pipeline, built from the training run's own stages: {@link Ingest} ->
 * {@link ApplyFeatures} (the model's fitted transform; the scoring policy judges each row) -> {@link Predict}
 * (the model's predictor; the predictions written in row id order), with every rejected row gathered by
 * {@link DeadLetters}.
 */
public final class ScoringPipeline extends PTransform<PBegin, PDone> {
  private static final long serialVersionUID = 1L;

  /** The stages, in order, as the CLI reports them. */
  public static final List<String> STAGES = List.of("ingest", "transform", "predict", "write");

  /**
   * What to score and how.
   *
   * @param sources the input sources by name (the model's source plugin and settings, on the new files)
   * @param read the columns the sources read: the model's schema, or that less the label (and weight) columns
   *     when the files have none
   * @param model the model bundle: its fitted transform, trainer and model file
   * @param trainer the trainer plugin and the settings its predictor is made with
   * @param policy {@code problem=score|reject} settings
   * @param keep input columns copied to the output
   * @param jsonLines JSON lines instead of CSV
   */
  public record Job(Map<String, SourceStage> sources, Schema read, Bundle model, PlannedStage trainer, List<String> policy,
      List<String> keep, boolean jsonLines) {
    public Job {
      Objects.requireNonNull(sources, "sources");
      Objects.requireNonNull(read, "read");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(trainer, "trainer");
      keep = List.copyOf(keep);
      policy = List.copyOf(policy);
    }

    /** The output file's name under the staging directory. */
    public String outputFile() {
      return jsonLines ? "predictions.jsonl" : "predictions.csv";
    }
  }

  private final Job job;
  private final String staging;

  private ScoringPipeline(Job job, String staging) {
    this.job = job;
    this.staging = staging;
  }

  /** The pipeline that scores {@code job} into {@code stagingDir}. */
  public static Pipeline build(Job job, PipelineOptions options, Path stagingDir) {
    Pipeline p = Pipeline.create(options);
    p.apply("Score", new ScoringPipeline(job, stagingDir.toAbsolutePath().toString()));
    return p;
  }

  @Override
  public PDone expand(PBegin begin) {
    Rejections rejections = Ingest.rejections(job.sources());
    PCollectionView<String> transform = begin.apply("Fitted transform", Create.of(TransformJson.write(job.model().transform()))
        .withCoder(StringUtf8Coder.of())).apply("Transform view", View.asSingleton());
    PCollectionView<TrainedModel> model = begin.apply("Model", Create.of(trainedModel(job.model()))
        .withCoder(SerializableCoder.of(TrainedModel.class))).apply("Model view", View.asSingleton());

    PCollectionTuple ingested = begin.apply("Ingest", new Ingest(job.sources(), job.read(), job.model().transform().schema()));
    TrainingPipeline.markDone(ingested.get(Ingest.RECORDS), "ingest");

    PCollectionTuple applied = ingested.get(Ingest.RECORDS).apply("Transform", new ApplyFeatures(transform, Split.TEST,
        ApplyFeatures.Rows.scoring(job.policy(), job.keep()), rejections, staging));
    TrainingPipeline.markDone(applied.get(ApplyFeatures.EXAMPLES), "transform");

    applied.get(ApplyFeatures.EXAMPLES).apply("Predict", new Predict(job.trainer(), null, model, transform, rejections,
        new Predict.Output(staging, job.outputFile(), new PredictionLines(job.keep(), job.jsonLines()), "write")));

    return PCollectionList.<Rejected>of(ingested.get(Ingest.REJECTED)).and(applied.get(ApplyFeatures.REJECTED))
        .apply("Dead letters", new DeadLetters(staging));
  }

  /** The columns of a prediction ({@code probability}, {@code p_<class>} or {@code prediction}), as the predictions file names them. */
  public static List<String> scoreColumns(dev.beamline.spi.model.Task task) {
    return PredictionLines.scoreColumns(task);
  }

  /** The bundle's model as the predict stage takes it: the trainer's file (no training history). */
  static TrainedModel trainedModel(Bundle bundle) {
    return new TrainedModel(bundle.modelFile(), bundle.model(), bundle.trainer(), Map.of(), List.of(), 0, Map.of());
  }
}
