package dev.beamline.core.beam;

import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Schema;
import dev.beamline.statistics.StatisticsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * {@code beamline validate-data}: new files read by a run's source ({@link Ingest}) and their statistics
 * ({@link ComputeStatistics}, the dataset {@code input}) in {@code statistics.json}, unreadable rows in the
 * dead letters: the training run's pieces, no training.
 */
public final class DataCheckPipeline {
  private DataCheckPipeline() {}

  /** The stages, as the CLI reports them. */
  public static final List<String> STAGES = List.of("ingest", ComputeStatistics.STAGE);

  /** The name of the input's dataset in {@code statistics.json}. */
  public static final String DATASET = "input";

  public static Pipeline build(SourceStage source, Schema schema, StatisticsOptions statistics, PipelineOptions options, Path stagingDir) {
    Pipeline p = Pipeline.create(options);
    String staging = stagingDir.toAbsolutePath().toString();
    PCollectionTuple ingested = p.apply("Ingest", new Ingest(Map.of(DATASET, source), schema));
    TrainingPipeline.markDone(ingested.get(Ingest.RECORDS), "ingest");
    ingested.apply("Statistics", new ComputeStatistics(schema, statistics, Map.of(DATASET, Ingest.RECORDS), staging));
    PCollectionList.of(ingested.get(Ingest.REJECTED)).apply("Dead letters", new DeadLetters(staging));
    return p;
  }
}
