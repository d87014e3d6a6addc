package dev.beamline.spi;

import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A configured source. The host calls {@link #inputs()}, {@link #inferSchema} and {@link #checkSchema}
 * on the launching machine before the pipeline runs, then applies {@link #read}.
 *
 * <p>Contract of {@link #read}: every row becomes either a {@link Record} on {@link #RECORDS} (or in a
 * {@link RecordBlock} on {@link #BLOCKS}) or a {@link Rejected} on {@link #REJECTED}, never neither. Record ids come from {@link RecordIds#of}, so that
 * splits and row order are the same on every runner. Blank lines are not rows.
 */
public interface SourceStage extends Serializable {
  /** The output of good rows. */
  TupleTag<Record> RECORDS = new TupleTag<>("records") {};

  /**
   * The output of good rows in blocks, for a source that reads many rows: the rows it would put on {@link #RECORDS},
   * a few thousand at a time ({@link RecordBlock.Builder}). Optional (the host reads it when the tuple has it), and a
   * source may use both. Worth it for a large read: a block holds its rows in a few arrays, where rows waiting one by
   * one between two steps (the DirectRunner keeps a step's whole output before the next step runs) are several
   * objects each for the garbage collector.
   */
  TupleTag<RecordBlock> BLOCKS = new TupleTag<>("record blocks") {};

  /** The dead-letter output. */
  TupleTag<Rejected> REJECTED = new TupleTag<>("rejected") {};

  /** The files this source reads, resolved; the host checks they exist and fingerprints them. None for a database. */
  List<Path> inputs();

  /**
   * What this source reads, each as its dead letters ({@link Rejected#file()}), row counts and the run's inputs name
   * it, in the order of the file index of {@link RecordIds#of}: by default the paths of {@link #inputs()}. A source that
   * reads no files (a database) names what it reads instead (a URL and a table), never with a credential; the host
   * then records a digest of the rows read where a file would have its sha256.
   */
  default List<String> locations() {
    return inputs().stream().map(Path::toString).toList();
  }

  /**
   * Infers a schema from the data, reading at most {@code sampleRows} rows (0 = all), when the pipeline
   * declares none. Empty when this source cannot infer one.
   */
  default Optional<Schema> inferSchema(int sampleRows) throws java.io.IOException {
    return Optional.empty();
  }

  /**
   * Checks, before the run, that the data can be read with this schema (e.g. a CSV header names every
   * column); throws {@link dev.beamline.spi.config.ConfigException} naming the file and column otherwise.
   */
  default void checkSchema(Schema schema) throws java.io.IOException {}

  /** Reads the data: outputs tagged {@link #RECORDS} (and, or instead, {@link #BLOCKS}) and {@link #REJECTED}. */
  PTransform<PBegin, PCollectionTuple> read(Schema schema);

  /**
   * Where predictions of the rows this source reads can be written back beside them (a table of the same database),
   * for {@code beamline predict --output-table}; empty when it cannot (files).
   */
  default Optional<PredictionTable> predictionTable() {
    return Optional.empty();
  }
}
