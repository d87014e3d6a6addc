package dev.beamline.core.beam;

import dev.beamline.features.FeatureTransform;
import dev.beamline.features.LabelSpec;
import dev.beamline.scoring.Issue;
import dev.beamline.scoring.RowChecks;
import dev.beamline.scoring.ScoringPolicy;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.feature.UnreadableValueException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Applies the fitted transform (a side input) to the rows of one split, the same code the online server
 * runs, and packs the results into {@link ExampleBlock}s written as {@link ExampleFile}s. In training a row
 * whose label or weight is unusable is rejected; in scoring a row is judged by the scoring policy
 * ({@link RowChecks}, as the online server judges it), each problem counted as {@code issues.<problem>}.
 */
final class ApplyTransformFn extends DoFn<RecordBlock, ExampleFile> {
  private static final long serialVersionUID = 1L;

  static final TupleTag<ExampleFile> BLOCKS = new TupleTag<>("blocks") {};
  static final TupleTag<Rejected> REJECTED = new TupleTag<>("rejected") {};

  private static final Object[] NOTHING_KEPT = new Object[0];
  private final PCollectionView<String> transformView;
  private final Split split;
  private final ApplyFeatures.Rows rules;
  private final Rejections rejections;
  private final String stagingDir;
  private final boolean inMemory;
  /** How many workers share the rows, each taking those of {@link TrainingGroup#partition}; 1 for none. */
  private final int workers;
  private final StageClock clock;
  private transient TransformCache cache;
  private transient ScoringPolicy policy;
  /** One row's issues (scoring), reused from row to row. */
  private transient List<Issue> issues;

  /**
   * @param inMemory whether the blocks stay in this JVM's memory (the whole pipeline runs in it) rather than in files
   * @param stage the stage whose rows this counts
   */
  ApplyTransformFn(PCollectionView<String> transformView, Split split, ApplyFeatures.Rows rules, Rejections rejections, String stagingDir,
      boolean inMemory, String stage) {
    this(transformView, split, rules, rejections, stagingDir, inMemory, stage, 1);
  }

  /** @param workers how many workers share the rows (each block is split into their shares), 1 for none */
  ApplyTransformFn(PCollectionView<String> transformView, Split split, ApplyFeatures.Rows rules, Rejections rejections, String stagingDir,
      boolean inMemory, String stage, int workers) {
    this.workers = workers;
    this.clock = new StageClock(stage);
    this.stagingDir = stagingDir;
    this.inMemory = inMemory;
    this.transformView = transformView;
    this.split = split;
    this.rules = rules;
    this.rejections = rejections;
  }

  @Setup
  public void setup() {
    cache = new TransformCache();
    policy = ScoringPolicy.parse(rules.policy());
    issues = new ArrayList<>();
  }

  @StartBundle
  public void start() {
    clock.start();
  }

  /**
   * One block of raw rows in, one block of examples out (less the rejected rows), kept in memory or written
   * to the staging directory: what travels on is its {@link ExampleFile} handle.
   */
  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    FeatureTransform transform = cache.get(c.sideInput(transformView));
    RecordBlock rows = c.element();
    ExampleBlock.Builder block = new ExampleBlock.Builder(split, transform.width(), rows.size(), rules.keep().size());
    long rejected = 0;
    for (Record record : rows.rows()) {
      String problem = rules.forTraining() ? addForTraining(transform, record, block) : addForScoring(transform, record, block);
      if (problem != null) {
        c.output(REJECTED, rejections.of(transform.schema(), record, problem));
        rejected++;
      }
    }
    clock.count(rows.size(), rows.size() - rejected, rejected);
    if (!block.isEmpty()) {
      write(block.build(), c);
    }
  }

  /** Keeps the block and puts out its handle; split into each worker's share first when several train together. */
  private void write(ExampleBlock block, ProcessContext c) throws IOException {
    if (workers < 2) {
      c.output(ExampleFile.write(block, stagingDir, inMemory));
      return;
    }
    int[] counts = new int[workers];
    int[] worker = new int[block.rows()];
    for (int r = 0; r < worker.length; r++) {
      worker[r] = TrainingGroup.partition(block.ids()[r], workers);
      counts[worker[r]]++;
    }
    for (int p = 0; p < workers; p++) {
      if (counts[p] == 0) {
        continue;
      }
      int[] rows = new int[counts[p]];
      int n = 0;
      for (int r = 0; r < worker.length; r++) {
        if (worker[r] == p) {
          rows[n++] = r;
        }
      }
      c.output(ExampleFile.write(block.select(rows), stagingDir, inMemory, p));
    }
  }

  /** Adds a training row to the block; returns why it cannot be used instead, if so. */
  private String addForTraining(FeatureTransform transform, Record record, ExampleBlock.Builder block) {
    LabelSpec.Label label = transform.label().read(transform.schema(), record);
    if (label.problem() != null) {
      return label.problem();
    }
    double weight = transform.weight(record);
    if (Double.isNaN(weight) || weight < 0) {
      return "weight column '" + transform.weightColumn() + "' is missing or negative";
    }
    try {
      transform.apply(record, block.features(), block.offset());
    } catch (UnreadableValueException e) {
      return e.getMessage();
    }
    block.add(record.id(), (float) label.value(), (float) weight, kept(transform.schema(), record));
    return null;
  }

  /**
   * Adds a row to score to the block, with its label when it has a usable one (else NaN) and the columns it
   * keeps; counts its problems; returns every reason the policy rejects it for, if it does.
   */
  private String addForScoring(FeatureTransform transform, Record record, ExampleBlock.Builder block) {
    issues.clear();
    RowChecks checks = new RowChecks(policy, 0, issues);
    transform.apply(record, block.features(), block.offset(), checks);
    StringBuilder reasons = null;
    for (Issue i : issues) {
      Metrics.counter(StageClock.NAMESPACE, "issues." + i.problem().label()).inc();
      if (i.rejected()) {
        reasons = reasons == null ? new StringBuilder() : reasons.append("; ");
        reasons.append("column '").append(i.column()).append("': ").append(i.problem().label()).append(": ").append(i.detail());
      }
    }
    if (checks.rejected()) {
      return reasons.toString();
    }
    LabelSpec.Label label = transform.label().read(transform.schema(), record);
    block.add(record.id(), label.problem() == null ? (float) label.value() : Float.NaN, 1f, kept(transform.schema(), record));
    return null;
  }

  /** The values of the columns to keep, NaN numbers as null (missing). */
  private Object[] kept(Schema schema, Record record) {
    if (rules.keep().isEmpty()) {
      return NOTHING_KEPT;
    }
    Object[] values = new Object[rules.keep().size()];
    for (int k = 0; k < values.length; k++) {
      Object v = schema.value(record, rules.keep().get(k));
      values[k] = v instanceof Double d && d.isNaN() ? null : v;
    }
    return values;
  }

  @FinishBundle
  public void finish() {
    clock.finish();
  }
}
