package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.beam.RecordBlockCoder;
import dev.beamline.spi.data.Schema;
import dev.beamline.statistics.StatisticsOptions;
import dev.beamline.spi.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The statistics stage: every column's statistics per dataset (a training run's splits, the input of a data
 * check), each in one pass ({@link StatisticsFn}, beside the fit in a training run), written together as
 * {@code statistics.json}:
 * {@code {"format": 1, "datasets": {"train": {"rows": N, "columns": {...}}, "validation": ..., "test": ...}}}.
 */
public final class ComputeStatistics extends PTransform<PCollectionTuple, PCollection<KV<String, String>>> {
  private static final long serialVersionUID = 1L;
  /** The stage's name, as the CLI reports it. */
  static final String STAGE = "statistics";
  /** The file the stage writes. */
  public static final String FILE = "statistics.json";

  /**
   * The datasets of a {@code statistics.json}: name to summary ({@code {"rows": N, "columns": {...}}}), in the
   * file's order.
   *
   * @throws ConfigException when the file is not one this stage wrote
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Map<String, Object>> read(Path file) throws IOException {
    Object datasets = Json.parseObject(Files.readString(file)).get("datasets");
    if (!(datasets instanceof Map<?, ?> m) || m.isEmpty()) {
      throw new ConfigException(file + ": not a Beamline statistics.json (no datasets)");
    }
    return (Map<String, Map<String, Object>>) datasets;
  }

  private final Schema schema;
  private final StatisticsOptions options;
  private final Map<String, TupleTag<RecordBlock>> tags;
  private final String staging;

  /** @param tags each dataset's name and its rows in the input tuple, in the order the file lists them */
  ComputeStatistics(Schema schema, StatisticsOptions options, Map<String, TupleTag<RecordBlock>> tags, String staging) {
    this.schema = schema;
    this.options = options;
    this.tags = tags;
    this.staging = staging;
  }

  /**
   * Returns each dataset's summary (JSON), keyed by its name; a dataset without rows has none here, and its
   * summary of zero rows is written to the file. One combine keyed by dataset, not one per dataset: the
   * DirectRunner pays for every transform on every bundle.
   */
  @Override
  public PCollection<KV<String, String>> expand(PCollectionTuple splits) {
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    List<PCollection<KV<String, RecordBlock>>> named = new ArrayList<>();
    for (Map.Entry<String, TupleTag<RecordBlock>> t : tags.entrySet()) {
      named.add(splits.get(t.getValue()).apply("Name " + t.getKey(), WithKeys.of(t.getKey()))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordBlockCoder.of())));
    }
    StatisticsFn fn = new StatisticsFn(schema, options);
    PCollection<KV<String, String>> all = PCollectionList.of(named).apply("Every dataset", Flatten.pCollections())
        .apply("Statistics", Combine.perKey(fn)).setCoder(coder);
    TrainingPipeline.markDone(all, STAGE);
    all.apply("Gather statistics", OneWorker.of(coder)).apply("Write statistics", ParDo.of(new WriteStatistics(staging, List.copyOf(tags.keySet()), fn)));
    return all;
  }

  /** Writes every dataset's statistics into one file, in the given order. */
  static final class WriteStatistics extends DoFn<KV<Integer, Iterable<KV<String, String>>>, Void> {
    private static final long serialVersionUID = 1L;
    private final String stagingDir;
    private final List<String> order;
    /** Makes the summary of a dataset without rows. */
    private final StatisticsFn fn;
    private final StageClock clock = new StageClock(STAGE);

    WriteStatistics(String stagingDir, List<String> order, StatisticsFn fn) {
      this.stagingDir = stagingDir;
      this.order = order;
      this.fn = fn;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, String>>> all) throws IOException {
      clock.count(1, 1, 0);
      Map<String, Object> datasets = new LinkedHashMap<>();
      Map<String, String> given = new LinkedHashMap<>();
      all.getValue().forEach(kv -> given.put(kv.getKey(), kv.getValue()));
      for (String name : order) {
        datasets.put(name, Json.parseObject(given.containsKey(name) ? given.get(name) : fn.extractOutput(fn.createAccumulator())));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("format", 1);
      out.put("datasets", datasets);
      RunFiles.write(stagingDir, FILE, Json.pretty(out));
      clock.finish();
    }
  }
}
