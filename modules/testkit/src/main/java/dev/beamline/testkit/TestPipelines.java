package dev.beamline.testkit;

import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.beam.RecordCoder;
import dev.beamline.spi.data.Record;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * DirectRunner pipelines for plugin tests, with Beam's immutability and encodability enforcement on (what
 * the production CLI turns off for speed), and a way to collect a PCollection's elements after the run.
 */
public final class TestPipelines {
  private static final Map<String, List<Object>> COLLECTED = new ConcurrentHashMap<>();

  private TestPipelines() {}

  /** A new DirectRunner pipeline that checks elements are never mutated and always encodable. */
  public static Pipeline create() {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setEnforceImmutability(true);
    options.setEnforceEncodability(true);
    options.setBlockOnRun(true);
    options.setTargetParallelism(2);
    return Pipeline.create(options);
  }

  /** Where a collection's elements will be, once the pipeline has run. */
  public static final class Sink<T> {
    private final String key;

    private Sink(String key) {
      this.key = key;
    }

    /** The elements, in no particular order. */
    @SuppressWarnings("unchecked")
    public List<T> get() {
      List<Object> values = COLLECTED.getOrDefault(key, List.of());
      return (List<T>) new ArrayList<>(values);
    }
  }

  /** Collects the elements of {@code collection} (in-process runners only). */
  public static <T> Sink<T> collect(PCollection<T> collection) {
    String key = UUID.randomUUID().toString();
    COLLECTED.put(key, Collections.synchronizedList(new ArrayList<>()));
    collection.apply("Collect " + key, ParDo.of(new CollectFn<>(key)));
    return new Sink<>(key);
  }

  /**
   * Where the good rows a source's read puts out will be, one by one or in blocks ({@link SourceStage#RECORDS},
   * {@link SourceStage#BLOCKS}, whichever it has), once the pipeline has run.
   */
  public static Sink<Record> collectRows(PCollectionTuple read) {
    List<PCollection<Record>> parts = new ArrayList<>();
    if (read.has(SourceStage.RECORDS)) {
      parts.add(read.get(SourceStage.RECORDS));
    }
    if (read.has(SourceStage.BLOCKS)) {
      parts.add(read.get(SourceStage.BLOCKS).apply("Rows of blocks", ParDo.of(new DoFn<RecordBlock, Record>() {
        private static final long serialVersionUID = 1L;

        @ProcessElement
        public void process(@Element RecordBlock block, OutputReceiver<Record> out) {
          block.rows().forEach(out::output);
        }
      })).setCoder(RecordCoder.of()));
    }
    if (parts.isEmpty()) {
      throw new AssertionError("the read put out neither SourceStage.RECORDS nor SourceStage.BLOCKS");
    }
    return collect(parts.size() == 1 ? parts.get(0) : PCollectionList.of(parts).apply("Rows", Flatten.pCollections()));
  }

  private static final class CollectFn<T> extends DoFn<T, Void> {
    private static final long serialVersionUID = 1L;
    private final String key;

    CollectFn(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element T element) {
      COLLECTED.get(key).add(element);
    }
  }
}
