package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.statistics.StatisticsOptions;
import java.io.IOException;
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
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The statistics stage: every column's statistics per split, each split in one pass beside the fit
 * ({@link StatisticsFn}), written together as {@code statistics.json}:
 * {@code {"format": 1, "splits": {"train": {"rows": N, "columns": {...}}, "validation": ..., "test": ...}}}.
 */
final class ComputeStatistics extends PTransform<PCollectionTuple, PDone> {
  private static final long serialVersionUID = 1L;
  /** The stage's name, as the CLI reports it. */
  static final String STAGE = "statistics";
  /** The file the stage writes. */
  static final String FILE = "statistics.json";

  private final RunPlan plan;
  private final StatisticsOptions options;
  private final Map<Split, TupleTag<RecordBlock>> tags;
  private final String staging;

  ComputeStatistics(RunPlan plan, StatisticsOptions options, Map<Split, TupleTag<RecordBlock>> tags, String staging) {
    this.plan = plan;
    this.options = options;
    this.tags = tags;
    this.staging = staging;
  }

  @Override
  public PDone expand(PCollectionTuple splits) {
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    List<PCollection<KV<String, String>>> perSplit = new ArrayList<>();
    for (Map.Entry<Split, TupleTag<RecordBlock>> t : tags.entrySet()) {
      String label = t.getKey().label();
      perSplit.add(splits.get(t.getValue())
          .apply("Statistics " + label, Combine.globally(new StatisticsFn(plan.schema(), options))).setCoder(StringUtf8Coder.of())
          .apply("Name " + label, WithKeys.of(label)).setCoder(coder));
    }
    PCollection<KV<String, String>> all = PCollectionList.of(perSplit).apply("All splits", Flatten.pCollections());
    TrainingPipeline.markDone(all, STAGE);
    all.apply("Gather statistics", OneWorker.of(coder)).apply("Write statistics", ParDo.of(new WriteStatistics(staging)));
    return PDone.in(splits.getPipeline());
  }

  /** Writes every split's statistics into one file, the splits in their fixed order. */
  static final class WriteStatistics extends DoFn<KV<Integer, Iterable<KV<String, String>>>, Void> {
    private static final long serialVersionUID = 1L;
    private final String stagingDir;
    private final StageClock clock = new StageClock(STAGE);

    WriteStatistics(String stagingDir) {
      this.stagingDir = stagingDir;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<KV<String, String>>> all) throws IOException {
      clock.count(1, 1, 0);
      Map<String, Object> bySplit = new LinkedHashMap<>();
      Map<String, String> given = new LinkedHashMap<>();
      all.getValue().forEach(kv -> given.put(kv.getKey(), kv.getValue()));
      for (Split s : Split.values()) {
        if (given.containsKey(s.label())) {
          bySplit.put(s.label(), Json.parseObject(given.get(s.label())));
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("format", 1);
      out.put("splits", bySplit);
      RunFiles.write(stagingDir, FILE, Json.pretty(out));
      clock.finish();
    }
  }
}
