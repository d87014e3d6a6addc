package dev.beamline.core.beam;

import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * The ingest stage's last step, where a source's good rows are seen one by one: counts them per input file (and sums the
 * {@link RowsDigest} of rows that come from no file), marks the ingest stage's clock, gives rows read without some
 * columns the full schema's layout ({@link Widening}), and hands them on in {@link RecordBlock}s for the stages after
 * it: rows a source put out one by one are packed ({@link #ofRecords}), blocks it put out go on as they are
 * ({@link #ofBlocks}).
 */
final class IngestBlocksFn {
  private IngestBlocksFn() {}

  /** Packs and counts the rows a source put out one by one. */
  static DoFn<Record, RecordBlock> ofRecords(String source, Widening widening, boolean digest) {
    return new OfRecords(new Tally(source, widening, digest));
  }

  /** Counts the rows of the blocks a source put out, and widens them when they lack columns. */
  static DoFn<RecordBlock, RecordBlock> ofBlocks(String source, Widening widening, boolean digest) {
    return new OfBlocks(new Tally(source, widening, digest));
  }

  /** Counts per file, the rows' digest and the stage clock, over a bundle; hands each row on in the full layout. */
  private static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final Widening widening;
    private final boolean digest;
    private final StageClock clock = new StageClock("ingest");
    private transient long[] perFile;
    private transient long[] digests;

    /**
     * @param widening how rows read with fewer columns take the full schema's layout, or {@code null} when they have it
     * @param digest whether to sum the rows' digest (a source that reads no files, whose inputs have no sha256)
     */
    Tally(String source, Widening widening, boolean digest) {
      this.source = source;
      this.widening = widening;
      this.digest = digest;
    }

    void start() {
      clock.start();
      if (perFile == null) {
        perFile = new long[4];
        digests = new long[4];
      }
    }

    /** Counts a row; returns it in the full layout. */
    Record count(Record record) {
      int file = countId(record.id());
      if (digest) {
        digests[file] += RowsDigest.of(record);
      }
      return widening == null ? record : widening.apply(record);
    }

    /** Counts a block's rows (which need not be made as records unless their digest is summed). */
    void count(RecordBlock block) {
      for (int i = 0; i < block.size(); i++) {
        int file = countId(block.id(i));
        if (digest) {
          digests[file] += RowsDigest.of(block.row(i));
        }
      }
    }

    /** Counts the row of this id in its file; returns the file. */
    private int countId(long id) {
      int file = RecordIds.file(id);
      if (file >= perFile.length) {
        perFile = Arrays.copyOf(perFile, Math.max(file + 1, perFile.length * 2));
        digests = Arrays.copyOf(digests, perFile.length);
      }
      perFile[file]++;
      clock.count(1, 1, 0);
      return file;
    }

    boolean widens() {
      return widening != null;
    }

    void finish() {
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

  private static final class OfRecords extends DoFn<Record, RecordBlock> {
    private static final long serialVersionUID = 1L;
    private final Tally tally;
    private transient RecordBlock.Builder block;
    private transient BoundedWindow window;

    OfRecords(Tally tally) {
      this.tally = tally;
    }

    @StartBundle
    public void start() {
      tally.start();
      if (block == null) {
        block = new RecordBlock.Builder();
      }
    }

    @ProcessElement
    public void process(@Element Record record, BoundedWindow w, OutputReceiver<RecordBlock> out) {
      window = w;
      RecordBlock full = block.add(tally.count(record));
      if (full != null) {
        out.output(full);
      }
    }

    @FinishBundle
    public void finish(FinishBundleContext c) {
      if (!block.isEmpty()) {
        c.output(block.build(), BoundedWindow.TIMESTAMP_MIN_VALUE, window);
      }
      tally.finish();
    }
  }

  private static final class OfBlocks extends DoFn<RecordBlock, RecordBlock> {
    private static final long serialVersionUID = 1L;
    private final Tally tally;

    OfBlocks(Tally tally) {
      this.tally = tally;
    }

    @StartBundle
    public void start() {
      tally.start();
    }

    @ProcessElement
    public void process(@Element RecordBlock block, OutputReceiver<RecordBlock> out) {
      if (tally.widens()) {
        out.output(new RecordBlock(block.rows().stream().map(tally::count).toList()));
      } else {
        tally.count(block);
        out.output(block);
      }
    }

    @FinishBundle
    public void finish() {
      tally.finish();
    }
  }
}
