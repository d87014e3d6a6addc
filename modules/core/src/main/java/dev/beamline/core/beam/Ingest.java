package dev.beamline.core.beam;

import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.beam.RecordBlockCoder;
import dev.beamline.spi.beam.RecordCoder;
import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The ingest stage, the same for training and scoring: every source reads its files with the schema, its
 * good rows are counted per file and packed into {@link RecordBlock}s (the last step that sees single
 * rows), its unreadable rows are counted per file and go on as dead letters.
 */
public final class Ingest extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** The rows of every source, in blocks. */
  public static final TupleTag<RecordBlock> RECORDS = new TupleTag<>("records") {};
  /** The rows the sources could not read. */
  public static final TupleTag<Rejected> REJECTED = new TupleTag<>("rejected") {};

  private final Map<String, SourceStage> sources;
  private final Schema schema;
  private final Widening widening;

  /** @param sources the sources by name, in ordinal order; {@code schema} the columns they read */
  public Ingest(Map<String, SourceStage> sources, Schema schema) {
    this(sources, schema, schema);
  }

  /**
   * Sources that read fewer columns than the rows must have (a file to score without its label column): they
   * read {@code read}, and the rows go on in the layout of {@code full}, the absent columns missing.
   */
  public Ingest(Map<String, SourceStage> sources, Schema read, Schema full) {
    this.sources = Objects.requireNonNull(sources, "sources");
    this.schema = Objects.requireNonNull(read, "read");
    this.widening = read.equals(full) ? null : new Widening(read, full);
  }

  /** The input files of every source, by ordinal, as {@link Rejections} names them. */
  public static Rejections rejections(Map<String, SourceStage> sources) {
    List<List<String>> files = new ArrayList<>();
    sources.values().forEach(s -> files.add(s.locations()));
    return new Rejections(List.copyOf(sources.keySet()), files);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    List<PCollection<RecordBlock>> records = new ArrayList<>();
    List<PCollection<Rejected>> rejected = new ArrayList<>();
    for (Map.Entry<String, SourceStage> s : sources.entrySet()) {
      String name = s.getKey();
      PCollectionTuple read = begin.apply("Read " + name, s.getValue().read(schema));
      boolean digest = s.getValue().inputs().isEmpty();
      if (!read.has(SourceStage.RECORDS) && !read.has(SourceStage.BLOCKS)) {
        throw new IllegalStateException("source '" + name + "' (" + s.getValue().getClass().getName()
            + ") put out no rows: its read must output SourceStage.RECORDS or SourceStage.BLOCKS");
      }
      if (read.has(SourceStage.RECORDS)) {
        records.add(read.get(SourceStage.RECORDS).setCoder(RecordCoder.of())
            .apply("Count " + name, ParDo.of(IngestBlocksFn.ofRecords(name, widening, digest)))
            .setCoder(RecordBlockCoder.of()));
      }
      if (read.has(SourceStage.BLOCKS)) {
        records.add(read.get(SourceStage.BLOCKS).setCoder(RecordBlockCoder.of())
            .apply("Count blocks " + name, ParDo.of(IngestBlocksFn.ofBlocks(name, widening, digest)))
            .setCoder(RecordBlockCoder.of()));
      }
      rejected.add(read.get(SourceStage.REJECTED).setCoder(RejectedCoder.of())
          .apply("Count rejected " + name, ParDo.of(new CountRejectedFn(name, s.getValue().locations())))
          .setCoder(RejectedCoder.of()));
    }
    PCollection<RecordBlock> all = records.size() == 1 ? records.get(0)
        : PCollectionList.of(records).apply("All sources", Flatten.pCollections());
    PCollection<Rejected> unreadable = rejected.size() == 1 ? rejected.get(0)
        : PCollectionList.of(rejected).apply("All unreadable", Flatten.pCollections());
    return PCollectionTuple.of(RECORDS, all).and(REJECTED, unreadable);
  }
}
