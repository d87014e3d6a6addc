package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.spec.PipelineSpec.SplitSpec;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.model.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Assembles a {@link RunPlan} into one Beam pipeline:
 * read -> split -> fit (one pass) -> transform -> train -> predict -> evaluate, with every rejected row
 * gathered into the dead-letter output. Outputs land in the run's staging directory.
 */
public final class TrainingPipeline {
  private TrainingPipeline() {}

  private static final SerializableCoder<ExampleFile> EXAMPLE_FILE_CODER = SerializableCoder.of(ExampleFile.class);

  /** The names of the stages, in order, as the CLI reports them. */
  public static final List<String> STAGES = List.of("ingest", "split", "fit", "transform", "train", "predict", "evaluate");

  /** The counter of the good rows read from one file of a source. */
  public static String fileRowsCounter(String source, int file) {
    return "source." + source + ".file" + file + ".rows";
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
    return WriteFns.RejectedToJson.counterName(source);
  }

  /**
   * Builds the pipeline.
   *
   * @param plan the resolved plan
   * @param options Beam options (runner etc.)
   * @param stagingDir the directory outputs are written to
   */
  public static Pipeline build(RunPlan plan, PipelineOptions options, Path stagingDir) {
    Pipeline p = Pipeline.create(options);
    String staging = stagingDir.toAbsolutePath().toString();
    Map<String, SourceStage> sources = new java.util.LinkedHashMap<>();
    plan.sources().forEach(s -> sources.put(s.name(), s.stage()));
    Rejections rejections = Ingest.rejections(sources);

    // Ingest: the rows of every source, counted and packed into blocks.
    PCollectionTuple ingested = p.apply("Ingest", new Ingest(sources, plan.schema()));
    PCollection<RecordBlock> all = ingested.get(Ingest.RECORDS);
    List<PCollection<Rejected>> rejected = new ArrayList<>();
    rejected.add(ingested.get(Ingest.REJECTED));
    markDone(all, "ingest");

    // Split (and check labels).
    SplitSpec split = plan.spec().split();
    boolean stratified = split.type().equals("stratified");
    PCollectionTuple splitOut = all.apply("Split", ParDo.of(new SplitRecordsFn(plan.schema(), plan.label(),
            plan.fitLabelClasses(), split, plan.spec().seed(), plan.sourceNames(), rejections, stratified))
        .withOutputTags(SplitRecordsFn.TRAIN, TupleTagList.of(SplitRecordsFn.VALIDATION).and(SplitRecordsFn.TEST)
            .and(SplitRecordsFn.REJECTED).and(SplitRecordsFn.LABELED)));
    rejected.add(splitOut.get(SplitRecordsFn.REJECTED).setCoder(RejectedCoder.of()));
    PCollectionTuple splits = stratified
        ? splitOut.get(SplitRecordsFn.LABELED).setCoder(RecordBlockCoder.of()).apply("Stratify",
            new StratifiedSplit(plan.schema(), plan.label().column(), split.testFraction(), split.validationFraction(), plan.spec().seed()))
        : splitOut;
    PCollection<RecordBlock> train = splits.get(SplitRecordsFn.TRAIN).setCoder(RecordBlockCoder.of());
    PCollection<RecordBlock> validation = splits.get(SplitRecordsFn.VALIDATION).setCoder(RecordBlockCoder.of());
    PCollection<RecordBlock> test = splits.get(SplitRecordsFn.TEST).setCoder(RecordBlockCoder.of());
    markDone(train, "split"); // the three splits come out of one transform and complete together

    // Fit, in one pass over the training split.
    PCollection<String> transformJson = train.apply("Fit", Combine.globally(new FitTransformFn(plan)))
        .setCoder(StringUtf8Coder.of());
    transformJson.apply("Write transform", ParDo.of(new WriteFns.WriteText(staging, "model/transform.json", "fit")));
    PCollectionView<String> transformView = transformJson.apply("Transform view", View.asSingleton());
    markDone(transformJson, "fit");
    train.apply("Input example", Combine.globally(new InputExampleFn(plan.schema(), plan.features().stream()
            .map(c -> c.column()).distinct().toList())))
        .setCoder(StringUtf8Coder.of())
        .apply("Write input example", ParDo.of(new WriteFns.WriteText(staging, "model/input_example.json", "fit")));

    // Transform: each block of rows becomes a block of examples, kept in memory when the whole pipeline runs
    // in this JVM and in the staging directory otherwise; handles travel on.
    boolean inMemory = isDirectRunner(p);
    List<PCollection<ExampleFile>> examples = new ArrayList<>();
    for (Map.Entry<Split, PCollection<RecordBlock>> e : Map.of(Split.TRAIN, train, Split.VALIDATION, validation, Split.TEST, test)
        .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
      PCollectionTuple applied = e.getValue().apply("Transform " + e.getKey().label(),
          ParDo.of(new ApplyTransformFn(transformView, e.getKey(), rejections, staging, inMemory)).withSideInputs(transformView)
              .withOutputTags(ApplyTransformFn.BLOCKS, TupleTagList.of(ApplyTransformFn.REJECTED)));
      examples.add(applied.get(ApplyTransformFn.BLOCKS).setCoder(EXAMPLE_FILE_CODER));
      rejected.add(applied.get(ApplyTransformFn.REJECTED).setCoder(RejectedCoder.of()));
    }

    // Train on one worker, rows ordered by id.
    PCollection<ExampleFile> sentinel = p.apply("Sentinel", Create.of(TrainFn.sentinel()).withCoder(EXAMPLE_FILE_CODER));
    PCollection<TrainedModel> model = PCollectionList.of(examples.get(0)).and(examples.get(1)).and(sentinel)
        .apply("Training rows", Flatten.pCollections())
        .apply("One group", WithKeys.of(0)).setCoder(KvCoder.of(VarIntCoder.of(), EXAMPLE_FILE_CODER))
        .apply("Gather", GroupByKey.create())
        .apply("Train", ParDo.of(new TrainFn(plan.trainer(), transformView, staging, describe(split)))
            .withSideInputs(transformView))
        .setCoder(SerializableCoder.of(TrainedModel.class));
    PCollectionView<TrainedModel> modelView = model.apply("Model view", View.asSingleton());
    markDone(model, "train");

    // Predict and evaluate every split.
    PCollection<ExampleFile> allExamples = PCollectionList.of(examples).apply("All examples", Flatten.pCollections());
    markDone(allExamples, "transform");
    PCollectionTuple predictOut = allExamples
        .apply("Predict", ParDo.of(new PredictFn(plan.trainer(), plan.evaluator(), modelView, transformView, rejections))
            .withSideInputs(modelView, transformView)
            .withOutputTags(PredictFn.PARTIALS, TupleTagList.of(PredictFn.TEST_PREDICTIONS)));
    PCollection<KV<String, EvaluateFn.Acc>> predicted = predictOut.get(PredictFn.PARTIALS)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), AccumulatorCoder.of(EvaluateFn.Acc.class)));
    predictOut.get(PredictFn.TEST_PREDICTIONS).setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()))
        .apply("One predictions group", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of())))
        .apply("Gather test predictions", GroupByKey.create())
        .apply("Write test predictions", ParDo.of(new WriteFns.WritePredictions(staging, transformView)).withSideInputs(transformView));
    markDone(predicted, "predict");
    PCollection<KV<String, Map<String, Double>>> metrics = predicted
        .apply("Evaluate", Combine.<String, EvaluateFn.Acc, Map<String, Double>>perKey(new EvaluateFn(plan.evaluator(), transformView))
            .withSideInputs(transformView))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), MapCoder.of(StringUtf8Coder.of(), DoubleCoder.of())));
    markDone(metrics, "evaluate");
    metrics.apply("One metrics group", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), KvCoder.of(StringUtf8Coder.of(), MapCoder.of(StringUtf8Coder.of(), DoubleCoder.of()))))
        .apply("Gather metrics", GroupByKey.create())
        .apply("Write metrics", ParDo.of(new WriteFns.WriteMetrics(staging)));

    // Dead letters.
    PCollectionList.of(rejected).apply("Dead letters", new DeadLetters(staging));
    return p;
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
    output.apply("Done " + stage, Combine.globally(Count.<T>combineFn()))
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
