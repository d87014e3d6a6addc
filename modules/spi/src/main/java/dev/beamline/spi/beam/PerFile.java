package dev.beamline.spi.beam;

import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Record;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * A source's read transform when each file is read whole by one worker (in its order, so that a row's position can be
 * its id): the file indexes 0 to n - 1 go to the plugin's DoFn, which outputs {@link SourceStage#RECORDS} and
 * {@link SourceStage#REJECTED} through its {@code MultiOutputReceiver}. {@link LineFiles} and the Parquet and Avro
 * sources read this way.
 */
public final class PerFile {
  private PerFile() {}

  /**
   * @param name the transform's name
   * @param files how many files the source reads
   * @param reader reads the file of the index it is given
   */
  public static PTransform<PBegin, PCollectionTuple> read(String name, int files, DoFn<Integer, Record> reader) {
    return new PTransform<>(name) {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollectionTuple expand(PBegin begin) {
        PCollectionTuple out = begin.apply("Files", Create.of(IntStream.range(0, files).boxed().toList()))
            .apply("Read", ParDo.of(reader).withOutputTags(SourceStage.RECORDS, TupleTagList.of(SourceStage.REJECTED)));
        out.get(SourceStage.RECORDS).setCoder(RecordCoder.of());
        out.get(SourceStage.REJECTED).setCoder(RejectedCoder.of());
        return out;
      }
    };
  }
}
