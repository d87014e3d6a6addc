package dev.beamline.core.beam;

import dev.beamline.spi.data.Rejected;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Counts the rows a source's reader rejected, per input file, and marks the ingest stage's clock. (The
 * good rows are counted by {@link IngestBlocksFn}.)
 */
final class CountRejectedFn extends DoFn<Rejected, Rejected> {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final List<String> files;
  private final StageClock clock = new StageClock("ingest");
  private transient Counts counts;

  /** @param files the source's input files, in the order their indexes name them */
  CountRejectedFn(String source, List<String> files) {
    this.source = source;
    this.files = List.copyOf(files);
  }

  @StartBundle
  public void start() {
    clock.start();
    if (counts == null) {
      counts = new Counts();
    }
  }

  @ProcessElement
  public void process(@Element Rejected row, OutputReceiver<Rejected> out) {
    counts.add(TrainingPipeline.fileRejectedCounter(source, Math.max(0, files.indexOf(row.file()))), 1);
    clock.count(1, 0, 1);
    out.output(row);
  }

  @FinishBundle
  public void finish() {
    counts.flush();
    clock.finish();
  }
}
