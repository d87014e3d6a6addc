package dev.beamline.core.beam;

import dev.beamline.features.FeatureTransform;
import dev.beamline.features.TransformJson;
import dev.beamline.scoring.Bundle;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.data.Rejected;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Batch scoring as one Beam pipeline: ingest (the training run's stage) -> score (the fitted transform and
 * the predictor, through the scoring library) -> write, with every rejected row in the dead letters.
 */
public final class ScoringPipeline extends PTransform<PBegin, PDone> {
  private static final long serialVersionUID = 1L;

  /** The stages, in order, as the CLI reports them. */
  public static final List<String> STAGES = List.of("ingest", "score", "write");

  /**
   * What to score and how.
   *
   * @param sources the input sources by name (the model's source plugin and settings, on the new files)
   * @param model the model bundle: its fitted transform (whose schema the sources read), trainer and model file
   * @param policy {@code problem=score|reject} settings
   * @param keep input columns copied to the output
   * @param jsonLines JSON lines instead of CSV
   */
  public record Job(Map<String, SourceStage> sources, Bundle model, List<String> policy, List<String> keep, boolean jsonLines) {
    public Job {
      Objects.requireNonNull(sources, "sources");
      Objects.requireNonNull(model, "model");
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
    FeatureTransform transform = job.model().transform();
    PCollectionTuple ingested = begin.apply("Ingest", new Ingest(job.sources(), transform.schema()));
    TrainingPipeline.markDone(ingested.get(Ingest.RECORDS), "ingest");

    PCollectionTuple scored = ingested.get(Ingest.RECORDS).apply("Score rows", ParDo.of(new ScoreBlocksFn(TransformJson.write(transform),
            job.model().trainer(), job.model().model(), job.policy(), job.keep(),
            job.jsonLines() ? ScoreBlocksFn.Format.JSONL : ScoreBlocksFn.Format.CSV, rejections))
        .withOutputTags(ScoreBlocksFn.SCORED, TupleTagList.of(ScoreBlocksFn.REJECTED)));
    PCollection<LineBlock> lines = scored.get(ScoreBlocksFn.SCORED).setCoder(LineBlock.CODER);
    TrainingPipeline.markDone(lines, "score");

    lines.apply("One output", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), LineBlock.CODER))
        .apply("Gather output", GroupByKey.create())
        .apply("Write output", ParDo.of(new WriteFns.WriteLineBlocks(staging, job.outputFile(),
            job.jsonLines() ? null : ScoreBlocksFn.header(transform, job.keep()), "write")));

    PCollection<Rejected> unscorable = scored.get(ScoreBlocksFn.REJECTED).setCoder(RejectedCoder.of());
    return PCollectionList.of(ingested.get(Ingest.REJECTED)).and(unscorable).apply("Dead letters", new DeadLetters(staging));
  }
}
