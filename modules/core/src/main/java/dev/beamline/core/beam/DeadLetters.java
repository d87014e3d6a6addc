package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.data.Rejected;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes every stage's rejected rows to {@code rejected/rejected.jsonl} in the staging directory, as JSON lines
 * with source, file, line, reason and raw text, ordered by source, file and line (the same bytes on every
 * runner), counting them per source (the error budget reads the counts). Gathered on one writer like the
 * predictions; a run without rejected rows writes an empty file.
 */
public final class DeadLetters extends PTransform<PCollectionList<Rejected>, PDone> {
  private static final long serialVersionUID = 1L;
  /** The dead-letter file, relative to the run directory. */
  public static final String FILE = "rejected/rejected.jsonl";
  /** Keeps the gathered group from being empty, so that the file is written when nothing was rejected. */
  private static final Rejected SENTINEL = new Rejected("", "", -1, "", "");

  private final String staging;

  /** @param staging the staging directory */
  public DeadLetters(String staging) {
    this.staging = staging;
  }

  @Override
  public PDone expand(PCollectionList<Rejected> rejected) {
    rejected.apply("All rejected", Flatten.pCollections())
        .apply("Count rejected", ParDo.of(new CountFn())).setCoder(RejectedCoder.of())
        .apply("Gather rejected", OneWorker.withSentinel(RejectedCoder.of(), SENTINEL))
        .apply("Write rejected", ParDo.of(new WriteFn(staging)));
    return PDone.in(rejected.getPipeline());
  }

  /** The counter of a source's rejected rows. */
  static String counterName(String source) {
    return "rejected." + source;
  }

  /** Counts each rejected row under its source. */
  static final class CountFn extends DoFn<Rejected, Rejected> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element Rejected r, OutputReceiver<Rejected> out) {
      Metrics.counter(StageClock.NAMESPACE, counterName(r.source())).inc();
      out.output(r);
    }
  }

  /** Writes the gathered rows, ordered, one JSON object a line. */
  static final class WriteFn extends DoFn<KV<Integer, Iterable<Rejected>>, Void> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<Rejected> ORDER = Comparator.comparing(Rejected::source).thenComparing(Rejected::file)
        .thenComparingLong(Rejected::line).thenComparing(Rejected::reason).thenComparing(Rejected::raw);
    private final String staging;

    WriteFn(String staging) {
      this.staging = staging;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Rejected>> all) throws IOException {
      List<Rejected> rows = new ArrayList<>();
      for (Rejected r : all.getValue()) {
        if (!r.equals(SENTINEL)) {
          rows.add(r);
        }
      }
      rows.sort(ORDER);
      try (Writer out = RunFiles.open(staging, FILE)) {
        for (Rejected r : rows) {
          out.write(json(r));
          out.write('\n');
        }
      }
    }
  }

  /** A dead-letter row as one JSON line. */
  static String json(Rejected r) {
    Map<String, Object> m = new TreeMap<>();
    m.put("source", r.source());
    m.put("file", r.file());
    m.put("line", r.line());
    m.put("reason", r.reason());
    m.put("raw", r.raw());
    return Json.compact(m);
  }
}
