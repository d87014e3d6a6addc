package dev.beamline.core.beam;

import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.data.Rejected;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The transform stage for one split: each block of rows becomes a block of examples (the fitted transform,
 * a side input, applied by the plain-Java code scoring uses too), kept in memory when the whole pipeline runs
 * in this JVM and in the staging directory otherwise; handles travel on. Rows whose label or weight is
 * unusable go to {@link #REJECTED}.
 */
final class ApplyFeatures extends PTransform<PCollection<RecordBlock>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<ExampleFile> EXAMPLES = ApplyTransformFn.BLOCKS;
  static final TupleTag<Rejected> REJECTED = ApplyTransformFn.REJECTED;
  static final SerializableCoder<ExampleFile> EXAMPLE_FILE_CODER = SerializableCoder.of(ExampleFile.class);

  private final PCollectionView<String> transform;
  private final Split split;
  private final Rejections rejections;
  private final String staging;

  ApplyFeatures(PCollectionView<String> transform, Split split, Rejections rejections, String staging) {
    this.transform = transform;
    this.split = split;
    this.rejections = rejections;
    this.staging = staging;
  }

  @Override
  public PCollectionTuple expand(PCollection<RecordBlock> rows) {
    boolean inMemory = TrainingPipeline.isDirectRunner(rows.getPipeline());
    PCollectionTuple applied = rows.apply("Apply", ParDo.of(new ApplyTransformFn(transform, split, rejections, staging, inMemory))
        .withSideInputs(transform).withOutputTags(ApplyTransformFn.BLOCKS, TupleTagList.of(ApplyTransformFn.REJECTED)));
    applied.get(EXAMPLES).setCoder(EXAMPLE_FILE_CODER);
    applied.get(REJECTED).setCoder(RejectedCoder.of());
    return applied;
  }
}
