package dev.beamline.core.beam;

import dev.beamline.features.FeatureTransform;
import dev.beamline.features.LabelSpec;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Rejected;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Applies the fitted transform (a side input) to the rows of one split, the same code batch and online
 * scoring run, and packs the results into {@link ExampleBlock}s written as {@link ExampleFile}s.
 */
final class ApplyTransformFn extends DoFn<RecordBlock, ExampleFile> {
  private static final long serialVersionUID = 1L;

  static final TupleTag<ExampleFile> BLOCKS = new TupleTag<>("blocks") {};
  static final TupleTag<Rejected> REJECTED = new TupleTag<>("rejected") {};

  private final PCollectionView<String> transformView;
  private final Split split;
  private final Rejections rejections;
  private final String stagingDir;
  private final boolean inMemory;
  private final StageClock clock = new StageClock("transform");
  private transient TransformCache cache;

  /** @param inMemory whether the blocks stay in this JVM's memory (the whole pipeline runs in it) rather than in files */
  ApplyTransformFn(PCollectionView<String> transformView, Split split, Rejections rejections, String stagingDir, boolean inMemory) {
    this.stagingDir = stagingDir;
    this.inMemory = inMemory;
    this.transformView = transformView;
    this.split = split;
    this.rejections = rejections;
  }

  @Setup
  public void setup() {
    cache = new TransformCache();
  }

  @StartBundle
  public void start() {
    clock.start();
  }

  /**
   * One block of raw rows in, one block of examples out (less the rows whose label or weight is unusable),
   * written to the staging directory: what travels on is its {@link ExampleFile} handle.
   */
  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    FeatureTransform transform = cache.get(c.sideInput(transformView));
    RecordBlock rows = c.element();
    ExampleBlock.Builder block = new ExampleBlock.Builder(split, transform.width(), rows.size());
    long rejected = 0;
    for (Record record : rows.rows()) {
      LabelSpec.Label label = transform.label().read(transform.schema(), record);
      if (label.problem() != null) {
        c.output(REJECTED, rejections.of(record, label.problem()));
        rejected++;
        continue;
      }
      double weight = transform.weight(record);
      if (Double.isNaN(weight) || weight < 0) {
        c.output(REJECTED, rejections.of(record, "weight column '" + transform.weightColumn() + "' is missing or negative"));
        rejected++;
        continue;
      }
      transform.apply(record, block.features(), block.offset());
      block.add(record.id(), (float) label.value(), (float) weight);
    }
    clock.count(rows.size(), rows.size() - rejected, rejected);
    if (!block.isEmpty()) {
      c.output(ExampleFile.write(block.build(), stagingDir, inMemory));
    }
  }

  @FinishBundle
  public void finish() {
    clock.finish();
  }
}
