package dev.beamline.core.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import java.util.Arrays;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * The one stage that sees a source's rows one by one: counts them per input file (and sums the {@link RowsDigest} of
 * rows that come from no file), marks the ingest stage's clock, gives rows read without some columns the full schema's layout ({@link Widening}), and packs them into {@link RecordBlock}s for the stages after it.
 */
final class IngestBlocksFn extends DoFn<Record, RecordBlock> {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final Widening widening;
  private final boolean digest;
  private final StageClock clock = new StageClock("ingest");
  private transient long[] perFile;
  private transient long[] digests;
  private transient RecordBlock.Builder block;
  private transient BoundedWindow window;

  /**
   * @param widening how rows read with fewer columns take the full schema's layout, or {@code null} when they have it
   * @param digest whether to sum the rows' digest (a source that reads no files, whose inputs have no sha256)
   */
  IngestBlocksFn(String source, Widening widening, boolean digest) {
    this.source = source;
    this.widening = widening;
    this.digest = digest;
  }

  @StartBundle
  public void start() {
    clock.start();
    if (block == null) {
      block = new RecordBlock.Builder();
      perFile = new long[4];
      digests = new long[4];
    }
  }

  @ProcessElement
  public void process(@Element Record record, BoundedWindow w, OutputReceiver<RecordBlock> out) {
    int file = RecordIds.file(record.id());
    if (file >= perFile.length) {
      perFile = Arrays.copyOf(perFile, Math.max(file + 1, perFile.length * 2));
      digests = Arrays.copyOf(digests, perFile.length);
    }
    perFile[file]++;
    if (digest) {
      digests[file] += RowsDigest.of(record);
    }
    clock.count(1, 1, 0);
    window = w;
    RecordBlock full = block.add(widening == null ? record : widening.apply(record));
    if (full != null) {
      out.output(full);
    }
  }

  @FinishBundle
  public void finish(FinishBundleContext c) {
    if (!block.isEmpty()) {
      c.output(block.build(), BoundedWindow.TIMESTAMP_MIN_VALUE, window);
    }
    for (int f = 0; f < perFile.length; f++) {
      if (perFile[f] > 0) {
        Metrics.counter(StageClock.NAMESPACE, TrainingPipeline.fileRowsCounter(source, f)).inc(perFile[f]);
        perFile[f] = 0;
        if (digest) {
          Metrics.counter(StageClock.NAMESPACE, TrainingPipeline.fileDigestCounter(source, f)).inc(digests[f]);
          digests[f] = 0;
        }
      }
    }
    clock.finish();
  }
}
