package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.spec.PipelineSpec.SplitSpec;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.beam.RecordBlockCoder;
import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.data.Rejected;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The split stage: checks each row's label and assigns it to the train, validation or test split as the
 * spec says (inputs, random, stratified, column or time), deterministically by row id and seed. Rows with an
 * unusable label go to {@link #REJECTED}. When a search retrains its winner on every training row
 * ({@link dev.beamline.core.plan.TuningPlan#refits()}), the validation split's rows go to the training split.
 */
final class SplitRows extends PTransform<PCollection<RecordBlock>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<RecordBlock> TRAIN = SplitRecordsFn.TRAIN;
  static final TupleTag<RecordBlock> VALIDATION = SplitRecordsFn.VALIDATION;
  static final TupleTag<RecordBlock> TEST = SplitRecordsFn.TEST;
  static final TupleTag<Rejected> REJECTED = SplitRecordsFn.REJECTED;

  private final RunPlan plan;
  private final Rejections rejections;

  SplitRows(RunPlan plan, Rejections rejections) {
    this.plan = plan;
    this.rejections = rejections;
  }

  @Override
  public PCollectionTuple expand(PCollection<RecordBlock> rows) {
    SplitSpec split = plan.spec().split();
    boolean stratified = split.type().equals("stratified");
    boolean validationTrains = plan.tuning() != null && plan.tuning().refits();
    // Only the outputs the split fills: on Flink every declared output reads (and decodes) every block the split puts out.
    PCollectionTuple out = rows.apply("Assign", ParDo.of(new SplitRecordsFn(plan.schema(), plan.label(),
            plan.fitLabelClasses(), split, plan.spec().seed(), plan.sourceNames(), rejections, stratified, validationTrains))
        .withOutputTags(stratified ? SplitRecordsFn.LABELED : SplitRecordsFn.TRAIN, stratified
            ? TupleTagList.of(SplitRecordsFn.REJECTED)
            : TupleTagList.of(SplitRecordsFn.VALIDATION).and(SplitRecordsFn.TEST).and(SplitRecordsFn.REJECTED)));
    PCollection<Rejected> rejected = out.get(SplitRecordsFn.REJECTED).setCoder(RejectedCoder.of());
    PCollectionTuple splits = stratified
        ? out.get(SplitRecordsFn.LABELED).setCoder(RecordBlockCoder.of()).apply("Stratify",
            new StratifiedSplit(plan.schema(), plan.label().column(), split.testFraction(),
                validationTrains ? 0 : split.validationFraction(), plan.spec().seed()))
        : out;
    PCollection<RecordBlock> train = splits.get(SplitRecordsFn.TRAIN).setCoder(RecordBlockCoder.of());
    TrainingPipeline.markDone(train, "split"); // the three splits come out of one transform and complete together
    return PCollectionTuple.of(TRAIN, train)
        .and(VALIDATION, splits.get(SplitRecordsFn.VALIDATION).setCoder(RecordBlockCoder.of()))
        .and(TEST, splits.get(SplitRecordsFn.TEST).setCoder(RecordBlockCoder.of()))
        .and(REJECTED, rejected);
  }
}
