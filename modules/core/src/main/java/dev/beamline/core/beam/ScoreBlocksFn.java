package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.features.LabelSpec;
import dev.beamline.features.TransformJson;
import dev.beamline.scoring.Bundle;
import dev.beamline.scoring.Issue;
import dev.beamline.scoring.Scorer;
import dev.beamline.scoring.ScoringPolicy;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.model.TaskType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The score stage of batch scoring: applies the model's fitted transform and predictor to each block of
 * rows through the scoring library (the code the online server runs, which applies the same
 * {@link FeatureTransform} and predictor as training), and writes one output line per scored row: row id
 * (source, file, line), the columns to keep, the label when the input has one, and the prediction. Rows the
 * policy rejects go to the dead letters with every reason; rows scored despite a problem are counted by
 * problem ({@code issues.<problem>}).
 */
final class ScoreBlocksFn extends DoFn<RecordBlock, LineBlock> {
  private static final long serialVersionUID = 1L;

  /** One block of output lines per block of rows. */
  static final TupleTag<LineBlock> SCORED = new TupleTag<>("scored") {};
  static final TupleTag<Rejected> REJECTED = new TupleTag<>("rejected") {};

  /** How the output is written. */
  enum Format { CSV, JSONL }

  private final String transformJson;
  private final String trainer;
  private final byte[] model;
  private final List<String> policy;
  private final List<String> keep;
  private final Format format;
  private final Rejections rejections;
  private final StageClock clock = new StageClock("score");
  private transient Scorer scorer;
  private transient FeatureTransform transform;

  ScoreBlocksFn(String transformJson, String trainer, byte[] model, List<String> policy, List<String> keep, Format format,
      Rejections rejections) {
    this.transformJson = transformJson;
    this.trainer = trainer;
    this.model = model;
    this.policy = List.copyOf(policy);
    this.keep = List.copyOf(keep);
    this.format = format;
    this.rejections = rejections;
  }

  /** The output's header line (CSV) for a model's task and the kept columns. */
  static String header(FeatureTransform transform, List<String> keep) {
    List<String> middle = new ArrayList<>(keep);
    middle.add("label");
    return PredictionCsv.header(transform.label().task(), middle);
  }

  @Setup
  public void setup() throws Exception {
    transform = TransformJson.read(transformJson, WorkerPlugins.steps());
    Bundle bundle = new Bundle(Path.of("model"), transform, trainer, "model", model, Map.of(), Map.of());
    scorer = Scorer.open(bundle, ScoringPolicy.parse(policy), id -> WorkerPlugins.registry().trainer(id, WorkerPlugins.where("trainer")));
  }

  @StartBundle
  public void start() {
    clock.start();
  }

  @ProcessElement
  public void process(@Element RecordBlock block, MultiOutputReceiver out) {
    List<Record> rows = block.rows();
    Scorer.Result result = scorer.score(rows);
    int rejected = reject(rows, result, out.get(REJECTED));
    long[] ids = new long[rows.size() - rejected];
    String[] lines = new String[ids.length];
    int n = 0;
    for (int r = 0; r < rows.size(); r++) {
      float[] p = result.predictions()[r];
      if (p != null) {
        ids[n] = rows.get(r).id();
        lines[n++] = format == Format.CSV ? csvLine(rows.get(r), p) : jsonLine(rows.get(r), p);
      }
    }
    if (n > 0) {
      out.get(SCORED).output(new LineBlock(ids, lines));
    }
    clock.count(rows.size(), rows.size() - rejected, rejected);
  }

  /** Counts every problem, and sends each rejected row to the dead letters with all its reasons; returns how many. */
  private int reject(List<Record> rows, Scorer.Result result, OutputReceiver<Rejected> deadLetters) {
    Map<Integer, List<String>> reasons = new TreeMap<>();
    for (Issue i : result.issues()) {
      Metrics.counter(StageClock.NAMESPACE, "issues." + i.problem().label()).inc();
      if (i.rejected()) {
        reasons.computeIfAbsent(i.row(), k -> new ArrayList<>()).add("column '" + i.column() + "': " + i.problem().label() + ": " + i.detail());
      }
    }
    reasons.forEach((row, why) -> deadLetters.output(rejections.of(rows.get(row), String.join("; ", why))));
    return reasons.size();
  }

  private String csvLine(Record record, float[] prediction) {
    Schema schema = transform.schema();
    StringBuilder line = PredictionCsv.rowId(new StringBuilder(), rejections, record.id());
    for (String k : keep) {
      Object v = schema.value(record, k);
      line.append(',').append(v == null || (v instanceof Double d && d.isNaN()) ? "" : PredictionCsv.field(text(v)));
    }
    Object label = label(record, schema);
    line.append(',').append(label == null ? "" : label);
    return PredictionCsv.scores(line, prediction).toString();
  }

  private String jsonLine(Record record, float[] prediction) {
    Schema schema = transform.schema();
    long id = record.id();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", rejections.sourceName(id));
    m.put("file", rejections.filePath(id));
    m.put("line", RecordIds.line(id));
    for (String k : keep) {
      Object v = schema.value(record, k);
      m.put(k, v instanceof Double d && d.isNaN() ? null : v);
    }
    m.put("label", label(record, schema));
    List<String> names = PredictionCsv.scoreColumns(transform.label().task());
    for (int k = 0; k < prediction.length; k++) {
      m.put(names.get(k), prediction[k]);
    }
    return Json.compact(m);
  }

  /** The label as training read it (class index, or the value), or null when the input has none. */
  private Object label(Record record, Schema schema) {
    LabelSpec spec = transform.label();
    if (schema.position(spec.column()) < 0) {
      return null;
    }
    LabelSpec.Label l = spec.read(schema, record);
    if (l.problem() != null) {
      return null;
    }
    return spec.task().type() == TaskType.REGRESSION ? (Object) l.value() : (Object) (int) l.value();
  }

  private static String text(Object v) {
    return v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf(d.longValue()) : String.valueOf(v);
  }

  @FinishBundle
  public void finish() {
    clock.finish();
  }

  @Teardown
  public void teardown() {
    if (scorer != null) {
      scorer.close();
    }
  }
}
