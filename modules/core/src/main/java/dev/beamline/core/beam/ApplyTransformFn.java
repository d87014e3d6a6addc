package dev.beamline.core.beam;

import dev.beamline.features.FeatureTransform;
import dev.beamline.features.LabelSpec;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Rejected;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Applies the fitted transform (a side input) to the rows of one split, the same code batch and online
 * scoring run, and packs the results into {@link ExampleBlock}s.
 */
final class ApplyTransformFn extends DoFn<Record, ExampleBlock> {
  private static final long serialVersionUID = 1L;
  private static final int BLOCK_ROWS = 4096;

  static final TupleTag<ExampleBlock> BLOCKS = new TupleTag<>("blocks") {};
  static final TupleTag<Rejected> REJECTED = new TupleTag<>("rejected") {};

  private final PCollectionView<String> transformView;
  private final Split split;
  private final Rejections rejections;
  private final StageClock clock = new StageClock("transform");
  private transient TransformCache cache;
  private transient ExampleBlock.Builder block;
  private transient BoundedWindow window;

  ApplyTransformFn(PCollectionView<String> transformView, Split split, Rejections rejections) {
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

  @ProcessElement
  public void process(ProcessContext c, BoundedWindow w) {
    FeatureTransform transform = cache.get(c.sideInput(transformView));
    Record record = c.element();
    LabelSpec.Label label = transform.label().read(transform.schema(), record);
    if (label.problem() != null) {
      c.output(REJECTED, rejections.of(record, label.problem()));
      clock.count(1, 0, 1);
      return;
    }
    double weight = transform.weight(record);
    if (Double.isNaN(weight) || weight < 0) {
      c.output(REJECTED, rejections.of(record, "weight column '" + transform.weightColumn() + "' is missing or negative"));
      clock.count(1, 0, 1);
      return;
    }
    if (block == null) {
      block = new ExampleBlock.Builder(split, transform.width(), BLOCK_ROWS);
    }
    window = w;
    transform.apply(record, block.features(), block.offset());
    block.add(record.id(), (float) label.value(), (float) weight);
    clock.count(1, 1, 0);
    if (block.full()) {
      c.output(block.build());
    }
  }

  @FinishBundle
  public void finish(FinishBundleContext c) {
    if (block != null && !block.isEmpty()) {
      c.output(block.build(), BoundedWindow.TIMESTAMP_MIN_VALUE, window);
    }
    clock.finish();
  }
}
