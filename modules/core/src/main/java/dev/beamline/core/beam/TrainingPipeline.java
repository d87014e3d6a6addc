package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.json.Json;
import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.features.TransformJson;
import dev.beamline.scoring.Bundle;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Schema;
import dev.beamline.core.spec.PipelineSpec;
import dev.beamline.core.spec.PipelineSpec.SplitSpec;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Assembles a {@link RunPlan} into one Beam pipeline, a composite transform per stage:
 * {@link Ingest} -> {@link SplitRows} -> {@link FitFeatures} (one pass) -> {@link ApplyFeatures} -> ({@link Tune}) -> {@link Train}
 * -> {@link Predict} -> {@link Evaluate}, the splits' {@link ComputeStatistics} beside the fit, with every
 * rejected row gathered by {@link DeadLetters}. Outputs land in the run's staging directory.
 */
public final class TrainingPipeline {
  private TrainingPipeline() {}

  /** The names of the stages, in order, as the CLI reports them. */
  public static final List<String> STAGES = List.of("ingest", "split", "statistics", "fit", "transform", Tune.FOLDS, Tune.STAGE, "train",
      "predict", "evaluate");

  /**
   * The stages a plan runs: all of {@link #STAGES}, but the statistics only when they are on, the search only
   * when there is one, and its folds only when it cross-validates.
   */
  public static List<String> stages(RunPlan plan) {
    boolean folds = plan.tuning() != null && !plan.tuning().spec().onValidationSplit();
    return STAGES.stream().filter(s -> plan.spec().statistics().enabled() || !s.equals(ComputeStatistics.STAGE))
        .filter(s -> plan.tuning() != null || !s.equals(Tune.STAGE)).filter(s -> folds || !s.equals(Tune.FOLDS)).toList();
  }

  /** The counter of the good rows read from one file of a source. */
  public static String fileRowsCounter(String source, int file) {
    return "source." + source + ".file" + file + ".rows";
  }

  /** The counter of the digest of the rows of one input of a source that is not a file ({@link RowsDigest}). */
  public static String fileDigestCounter(String source, int file) {
    return "source." + source + ".file" + file + ".digest";
  }

  /** The counter of the rows of one file of a source that its reader rejected. */
  public static String fileRejectedCounter(String source, int file) {
    return "source." + source + ".file" + file + ".rejected";
  }

  /** The counter of a split's rows. */
  public static String splitCounter(Split split) {
    return "split." + split.label();
  }

  /** The counter of a source's rows rejected by any stage. */
  public static String rejectedCounter(String source) {
    return DeadLetters.counterName(source);
  }

  /**
   * Builds the pipeline: the stages in order, each a composite transform of its own.
   *
   * @param plan the resolved plan
   * @param options Beam options (runner etc.)
   * @param stagingDir the directory outputs are written to
   */
  public static Pipeline build(RunPlan plan, PipelineOptions options, Path stagingDir) {
    return build(plan, options, stagingDir, null);
  }

  /**
   * Another model scored on the run's test rows, beside the run's own model: the current champion, which the
   * blessing compares the run's model with on the same rows.
   *
   * @param bundle its model bundle (fitted transform, trainer, model file)
   * @param trainer the trainer plugin whose predictor scores it
   */
  public record Champion(Bundle bundle, PlannedStage trainer) {}

  /**
   * Builds the pipeline, with {@code champion} (or null) scored on the test rows too: its metrics go under
   * {@code champion} in {@code metrics.json}.
   */
  public static Pipeline build(RunPlan plan, PipelineOptions options, Path stagingDir, Champion champion) {
    return build(plan, options, stagingDir, champion, null);
  }

  /**
   * Builds the pipeline, with the model trained by {@code group}'s workers together (or null: by one worker), each
   * on its share of the training and validation rows.
   */
  public static Pipeline build(RunPlan plan, PipelineOptions options, Path stagingDir, Champion champion, TrainingGroup group) {
    Pipeline p = Pipeline.create(options);
    String staging = stagingDir.toAbsolutePath().toString();
    Rejections rejections = rejections(plan);
    List<PCollection<Rejected>> rejected = new ArrayList<>();

    PCollectionTuple ingested = ingest(p, plan);
    rejected.add(ingested.get(Ingest.REJECTED));

    PCollectionTuple splits = ingested.get(Ingest.RECORDS).apply("Split", new SplitRows(plan, rejections));
    rejected.add(splits.get(SplitRows.REJECTED));
    PCollection<KV<String, String>> statistics = plan.spec().statistics().enabled()
        ? splits.apply("Statistics", new ComputeStatistics(plan.schema(), plan.spec().statistics().options(), tags(), staging))
        : null;

    PCollection<String> transformJson = splits.get(SplitRows.TRAIN).apply("Fit", new FitFeatures(plan, staging));
    PCollectionView<String> transform = transformJson.apply("Transform view", View.asSingleton());

    Map<Split, PCollection<ExampleFile>> examples = new EnumMap<>(Split.class);
    List<String> sliceColumns = Slicer.columns(plan.spec().evaluation().slices());
    for (Split split : Split.values()) {
      // The test rows carry their slice columns' raw values to the predict stage.
      ApplyFeatures.Rows rows = ApplyFeatures.Rows.training(split == Split.TEST ? sliceColumns : List.of());
      ApplyFeatures apply = new ApplyFeatures(transform, split, rows, rejections, staging);
      PCollectionTuple applied = splits.get(tag(split)).apply("Transform " + split.label(),
          group == null || split == Split.TEST ? apply : apply.sharedBy(group.workers()));
      examples.put(split, applied.get(ApplyFeatures.EXAMPLES));
      rejected.add(applied.get(ApplyFeatures.REJECTED));
    }

    PCollectionList<ExampleFile> training = PCollectionList.of(examples.get(Split.TRAIN)).and(examples.get(Split.VALIDATION));
    PCollectionView<Tune.Winner> bestTrial = plan.tuning() == null ? null
        : PCollectionTuple.of(Tune.ROWS, splits.get(SplitRows.TRAIN)).and(Tune.TRANSFORM, transformJson)
            .and(Tune.EXAMPLES, training.apply("Tuning examples", Flatten.pCollections()))
            .apply("Tune", new Tune(plan, rejections, staging));
    PCollectionView<TrainedModel> model = training
        .apply("Train", new Train(plan, transform, bestTrial, staging, describe(plan.spec().split()), group))
        .apply("Model view", View.asSingleton());

    PCollection<ExampleFile> allExamples = PCollectionList.of(List.copyOf(examples.values())).apply("All examples", Flatten.pCollections());
    markDone(allExamples, "transform");
    Evaluation evaluation = new Evaluation(plan.evaluator(), slicer(p, plan, statistics),
        new Bootstrap(plan.spec().evaluation().bootstrapSamples(), plan.spec().evaluation().confidence(), plan.spec().seed()), null,
        Evaluation.splits(plan.spec().evaluation().splits()));
    PCollection<KV<String, EvaluateFn.Acc>> partials = allExamples.apply("Predict", new Predict(plan.trainer(), evaluation, model, transform,
        rejections, new Predict.Output(staging, "predictions/test.csv", PredictionLines.csv(), null)));
    if (champion != null) {
      partials = PCollectionList.of(partials).and(scoreChampion(p, plan, champion, splits.get(SplitRows.TEST), rejections, staging))
          .apply("Both models", Flatten.pCollections());
    }
    partials.apply("Evaluate", new Evaluate(evaluation, staging));

    PCollectionList.of(rejected).apply("Dead letters", new DeadLetters(staging));
    return p;
  }

  /**
   * The champion's partial accumulators on the test rows: its own transform (rows rewritten to its columns when
   * it read others) and predictor, the evaluator keyed by its name. Rows it cannot score are counted, not kept:
   * they are the run's test rows, not rejected data.
   */
  private static PCollection<KV<String, EvaluateFn.Acc>> scoreChampion(Pipeline p, RunPlan plan, Champion champion,
      PCollection<RecordBlock> test, Rejections rejections, String staging) {
    PCollectionView<String> transform = p.apply("Champion transform", Create.of(TransformJson.write(champion.bundle().transform()))
        .withCoder(StringUtf8Coder.of())).apply("Champion transform view", View.asSingleton());
    PCollectionView<TrainedModel> model = p.apply("Champion model", Create.of(ScoringPipeline.trainedModel(champion.bundle()))
        .withCoder(SerializableCoder.of(TrainedModel.class))).apply("Champion model view", View.asSingleton());
    Schema columns = champion.bundle().transform().schema();
    PCollection<RecordBlock> rows = columns.equals(plan.schema()) ? test
        : test.apply("Champion columns", ParDo.of(new Reschema(plan.schema(), columns))).setCoder(test.getCoder());
    PCollectionTuple applied = rows.apply("Champion features", new ApplyFeatures(transform, Split.TEST,
        ApplyFeatures.Rows.scoring(List.of(), List.of()), rejections, staging));
    return applied.get(ApplyFeatures.EXAMPLES).apply("Champion predict",
        new Predict(champion.trainer(), Evaluation.of(CHAMPION, plan.evaluator()), model, transform, rejections, null));
  }

  /** The name the champion's metrics go under in {@code metrics.json}. */
  public static final String CHAMPION = "champion";

  /**
   * The slicer of the plan's slices as a side input, its buckets cut from the training split's statistics; null
   * when there are no slices.
   */
  private static PCollectionView<Slicer> slicer(Pipeline p, RunPlan plan, PCollection<KV<String, String>> statistics) {
    List<PipelineSpec.SliceSpec> slices = plan.spec().evaluation().slices();
    if (slices.isEmpty()) {
      return null;
    }
    SerializableCoder<Slicer> coder = SerializableCoder.of(Slicer.class);
    PCollection<Slicer> slicer = statistics == null // the planner allows buckets only with statistics
        ? p.apply("Slicer", Create.of(Slicer.of(slices, Map.of())).withCoder(coder))
        : statistics.apply("Training statistics", Filter.by(kv -> kv.getKey().equals(Split.TRAIN.label())))
            .apply("Slicer", MapElements.into(TypeDescriptor.of(Slicer.class)).via(kv -> Slicer.of(slices, Json.parseObject(kv.getValue()))))
            .setCoder(coder);
    return slicer.apply("Slicer view", View.asSingleton());
  }

  /** The plan's sources by name, in ordinal order. */
  private static Map<String, SourceStage> sources(RunPlan plan) {
    Map<String, SourceStage> sources = new LinkedHashMap<>();
    plan.sources().forEach(s -> sources.put(s.name(), s.stage()));
    return sources;
  }

  private static Rejections rejections(RunPlan plan) {
    return Ingest.rejections(sources(plan));
  }

  /** The ingest stage of a plan, marked done when all its rows exist. */
  private static PCollectionTuple ingest(Pipeline p, RunPlan plan) {
    PCollectionTuple ingested = p.apply("Ingest", new Ingest(sources(plan), plan.schema()));
    markDone(ingested.get(Ingest.RECORDS), "ingest");
    return ingested;
  }

  /** Each split's name and rows in the output of {@link SplitRows}, in split order. */
  private static Map<String, TupleTag<RecordBlock>> tags() {
    Map<String, TupleTag<RecordBlock>> tags = new LinkedHashMap<>();
    for (Split s : Split.values()) {
      tags.put(s.label(), tag(s));
    }
    return tags;
  }

  /**
   * The statistics alone (for {@code beamline infer-schema}): ingest, split and the statistics stage of a
   * training run, the same pieces, without fit or training; dead letters are gathered as in a run.
   */
  public static Pipeline statisticsOnly(RunPlan plan, PipelineOptions options, Path stagingDir) {
    Pipeline p = Pipeline.create(options);
    String staging = stagingDir.toAbsolutePath().toString();
    Rejections rejections = rejections(plan);
    PCollectionTuple ingested = ingest(p, plan);
    PCollectionTuple splits = ingested.get(Ingest.RECORDS).apply("Split", new SplitRows(plan, rejections));
    splits.apply("Statistics", new ComputeStatistics(plan.schema(), plan.spec().statistics().options(), tags(), staging));
    PCollectionList.of(ingested.get(Ingest.REJECTED)).and(splits.get(SplitRows.REJECTED)).apply("Dead letters", new DeadLetters(staging));
    return p;
  }

  /** The stages of {@link #statisticsOnly}. */
  public static final List<String> STATISTICS_STAGES = List.of("ingest", "split", "statistics");

  private static TupleTag<RecordBlock> tag(Split split) {
    return switch (split) {
      case TRAIN -> SplitRows.TRAIN;
      case VALIDATION -> SplitRows.VALIDATION;
      case TEST -> SplitRows.TEST;
    };
  }

  /**
   * Marks a stage as done once all of {@code output} exists: a global count (which fires only when its
   * input is complete) sets the stage's done counter, so the CLI can say the stage finished while the
   * pipeline still runs. Only on the DirectRunner, whose metrics the CLI can read while it runs.
   */
  static <T> void markDone(PCollection<T> output, String stage) {
    if (!isDirectRunner(output.getPipeline())) {
      return; // Flink reports metrics only when the job ends: markers would only cost shuffles (and network buffers)
    }
    // Without defaults: an empty output marks nothing (the stage's end is printed when the run ends), and the marker
    // is 5 primitive transforms instead of 11, each of which the DirectRunner translates again for every bundle.
    output.apply("Done " + stage, Combine.globally(Count.<T>combineFn()).withoutDefaults())
        .apply("Mark " + stage + " done", ParDo.of(new MarkDoneFn(stage)));
  }

  /** Sets a stage's done counter. */
  static final class MarkDoneFn extends DoFn<Long, Void> {
    private static final long serialVersionUID = 1L;
    private final String stage;

    MarkDoneFn(String stage) {
      this.stage = stage;
    }

    @ProcessElement
    public void process() {
      Metrics.counter(StageClock.NAMESPACE, StageClock.doneName(stage)).inc();
    }
  }

  static boolean isDirectRunner(Pipeline p) {
    return p.getOptions().getRunner().getSimpleName().equals("DirectRunner");
  }

  private static String describe(SplitSpec split) {
    return switch (split.type()) {
      case "inputs" -> "split: inputs; the train source gave no usable rows";
      case "time" -> "split: time on '" + split.column() + "', testFrom " + split.testFrom();
      case "column" -> "split: column '" + split.column() + "'";
      default -> "split: " + split.type() + ", testFraction " + split.testFraction() + ", validationFraction "
          + split.validationFraction();
    };
  }

}
