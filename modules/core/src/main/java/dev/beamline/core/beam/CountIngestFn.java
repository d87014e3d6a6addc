package dev.beamline.core.beam;

import org.apache.beam.sdk.transforms.DoFn;

/** Counts the rows a source read, per input file (from the row id), and marks the ingest stage's clock. */
final class CountIngestFn<T> extends DoFn<T, T> {
  private static final long serialVersionUID = 1L;

  /** How to find an element's file index. */
  interface FileOf<T> extends java.io.Serializable {
    int fileIndex(T element);
  }

  private final String source;
  private final FileOf<T> fileOf;
  private final boolean rejected;
  private final StageClock clock = new StageClock("ingest");
  private transient Counts counts;

  CountIngestFn(String source, FileOf<T> fileOf, boolean rejected) {
    this.source = source;
    this.fileOf = fileOf;
    this.rejected = rejected;
  }

  /** The counter of the rows read from one file of a source. */
  static String rowsCounter(String source, int file, boolean rejected) {
    return "source." + source + ".file" + file + (rejected ? ".rejected" : ".rows");
  }

  @StartBundle
  public void start() {
    clock.start();
    if (counts == null) {
      counts = new Counts();
    }
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<T> out) {
    counts.add(rowsCounter(source, fileOf.fileIndex(element), rejected), 1);
    clock.count(1, rejected ? 0 : 1, rejected ? 1 : 0);
    out.output(element);
  }

  @FinishBundle
  public void finish() {
    counts.flush();
    clock.finish();
  }
}
