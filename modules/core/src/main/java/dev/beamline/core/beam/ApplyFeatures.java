package dev.beamline.core.beam;

import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.data.Rejected;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The transform stage, the same for training and batch scoring: each block of rows becomes a block of
 * examples (the fitted transform, a side input, applied by the plain-Java code the online server runs too),
 * kept in memory when the whole pipeline runs in this JVM and in the staging directory otherwise; handles
 * travel on. What a row must have besides its features is the {@link Rows} rule: in training a usable label
 * and weight, in scoring nothing but what the scoring policy accepts. Rows that fail go to {@link #REJECTED}.
 */
final class ApplyFeatures extends PTransform<PCollection<RecordBlock>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<ExampleFile> EXAMPLES = ApplyTransformFn.BLOCKS;
  static final TupleTag<Rejected> REJECTED = ApplyTransformFn.REJECTED;
  static final SerializableCoder<ExampleFile> EXAMPLE_FILE_CODER = SerializableCoder.of(ExampleFile.class);

  /**
   * What the stage asks of a row besides its features.
   *
   * @param forTraining whether the row must have a usable label and weight (training), or may lack a label (scoring)
   * @param policy scoring only: {@code problem=score|reject} settings for unseen categories and numbers out of range
   * @param keep input columns each example carries along: scoring's to the output, training's to the test slices
   */
  record Rows(boolean forTraining, List<String> policy, List<String> keep) implements Serializable {
    private static final long serialVersionUID = 1L;

    Rows {
      policy = List.copyOf(policy);
      keep = List.copyOf(keep);
    }

    /** Training: a usable label and weight, or the row is rejected; {@code keep}: the raw columns the slices read. */
    static Rows training(List<String> keep) {
      return new Rows(true, List.of(), keep);
    }

    /** Scoring: the label when the row has one; the scoring policy judges the row. */
    static Rows scoring(List<String> policy, List<String> keep) {
      return new Rows(false, Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(keep, "keep"));
    }
  }

  private final PCollectionView<String> transform;
  private final Split split;
  private final Rows rules;
  private final Rejections rejections;
  private final String staging;
  private final String stage;
  /** How many workers share the rows (each block is split into their shares, {@link TrainingGroup#partition}); 1 for none. */
  private int workers = 1;

  ApplyFeatures(PCollectionView<String> transform, Split split, Rows rules, Rejections rejections, String staging) {
    this(transform, split, rules, rejections, staging, "transform");
  }

  /** @param stage the stage whose rows the transform's work counts as (the tune stage's folds are transformed too) */
  ApplyFeatures(PCollectionView<String> transform, Split split, Rows rules, Rejections rejections, String staging, String stage) {
    this.stage = stage;
    this.transform = transform;
    this.split = split;
    this.rules = rules;
    this.rejections = rejections;
    this.staging = staging;
  }

  /** The same stage, each block split into the shares of {@code workers} workers that train together. */
  ApplyFeatures sharedBy(int workers) {
    ApplyFeatures shared = new ApplyFeatures(transform, split, rules, rejections, staging, stage);
    shared.workers = workers;
    return shared;
  }

  @Override
  public PCollectionTuple expand(PCollection<RecordBlock> rows) {
    boolean inMemory = TrainingPipeline.isDirectRunner(rows.getPipeline());
    PCollectionTuple applied = rows.apply("Apply", ParDo.of(new ApplyTransformFn(transform, split, rules, rejections, staging, inMemory, stage, workers))
        .withSideInputs(transform).withOutputTags(ApplyTransformFn.BLOCKS, TupleTagList.of(ApplyTransformFn.REJECTED)));
    applied.get(EXAMPLES).setCoder(EXAMPLE_FILE_CODER);
    applied.get(REJECTED).setCoder(RejectedCoder.of());
    return applied;
  }
}
