package dev.beamline.core.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A pipeline as its YAML file declares it, after {@code --set} overrides, parsed and checked for shape
 * (plugin configurations are validated later, against each plugin's own keys).
 *
 * @param name the pipeline's name (experiment name, default run directory)
 * @param description free text
 * @param seed the seed of every random choice (splits, trainer)
 * @param file the pipeline file
 * @param sources the sources by name, in order
 * @param schema the declared columns, or {@code null} to infer them
 * @param inferSampleRows rows read to infer a schema (0 = all)
 * @param label the label
 * @param weightColumn the sample weight column, or {@code null}
 * @param split how rows are split
 * @param features the feature transforms per column group
 * @param trainer the trainer
 * @param workers how many workers train the model together ({@code trainer.workers} and its companions)
 * @param evaluator the evaluator
 * @param evaluation what the run evaluates besides the evaluator's overall metrics: slices and bootstrap intervals
 * @param tracking where and how runs are tracked
 * @param blessing what a model must reach to be blessed (and move the champion alias), or null: not judged
 * @param statistics whether and how the data statistics are computed
 * @param report whether the run draws its report ({@code report.html} and {@code report/})
 * @param validationSchema the data schema ({@code validation.schema}) every split is checked against, or null
 * @param tuning the search over the trainer's settings ({@code tuning}), or null for one training with the settings given
 * @param resolved the whole document after overrides, for provenance
 * @param document the parsed document, for messages
 */
public record PipelineSpec(
    String name,
    String description,
    long seed,
    Path file,
    Map<String, SourceSpec> sources,
    List<ColumnSpec> schema,
    int inferSampleRows,
    LabelDecl label,
    String weightColumn,
    SplitSpec split,
    List<FeatureSpec> features,
    StageSpec trainer,
    WorkersSpec workers,
    StageSpec evaluator,
    EvaluationSpec evaluation,
    TrackingSpec tracking,
    BlessingSpec blessing,
    StatisticsSpec statistics,
    boolean report,
    Path validationSchema,
    TuningSpec tuning,
    Map<String, Object> resolved,
    YamlDocument document) {

  public PipelineSpec {
    Objects.requireNonNull(name, "name");
    sources = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(sources));
    features = List.copyOf(features);
  }

  /** The directory relative paths are resolved against. */
  public Path baseDirectory() {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of(".").toAbsolutePath() : parent;
  }

  /**
   * The trainer section's keys for training on several workers together (read by the host, not the trainer).
   *
   * @param workers how many ({@code trainer.workers}); 0 for {@code auto}, the runner's parallelism
   * @param fallBack what to do when the runner cannot run them all at once: train on one worker with a warning
   *     ({@code workersUnavailable: single}) rather than fail ({@code fail}, the default)
   * @param trackerHost the address the workers reach the launcher's tracker at, or null to choose one
   * @param trackerPort the tracker's port (0: a free one)
   * @param timeoutSeconds how long a worker waits for the tracker or a peer before it fails
   */
  public record WorkersSpec(int workers, boolean fallBack, String trackerHost, int trackerPort, int timeoutSeconds)
      implements java.io.Serializable {
    /** One worker: no tracker, no group. */
    public static final WorkersSpec ONE = new WorkersSpec(1, false, null, 0, 300);

    /** Whether the run may use several workers ({@code auto} or more than one). */
    public boolean several() {
      return workers != 1;
    }
  }

  /**
   * The {@code statistics} section: the per-column statistics of every split, written as
   * {@code statistics.json}.
   *
   * @param enabled whether the statistics stage runs
   * @param options what the statistics keep
   */
  public record StatisticsSpec(boolean enabled, dev.beamline.statistics.StatisticsOptions options) {}

  /**
   * What the run evaluates besides the evaluator's overall metrics (the {@code slices} and {@code bootstrap}
   * keys of the {@code evaluator} section, which the host reads, not the plugin).
   *
   * @param slices the slicings of the test split, each of whose slices gets every metric
   * @param bootstrapSamples Poisson bootstrap replicates of the test split for the intervals (0 = none)
   * @param confidence the intervals' confidence level
   * @param splits the splits the evaluator scores (train, validation, test): a large training split need not be
   *     scored again for its metrics
   */
  public record EvaluationSpec(List<SliceSpec> slices, int bootstrapSamples, double confidence, List<String> splits)
      implements java.io.Serializable {
    public EvaluationSpec {
      slices = List.copyOf(slices);
      splits = List.copyOf(splits);
    }

    /** Every split, in order. */
    public static final List<String> SPLITS = List.of("train", "validation", "test");

    /** The default: every split, no slices, 100 replicates, 95% intervals. */
    public static final EvaluationSpec DEFAULT = new EvaluationSpec(List.of(), 100, 0.95, SPLITS);
  }

  /**
   * A slicing: one column (by value, or in equal-frequency buckets of the training split), or a cross of several.
   *
   * @param columns the columns crossed (one for a plain slicing)
   * @param keyPath where it is declared, for messages
   */
  public record SliceSpec(List<SliceColumn> columns, String keyPath) implements java.io.Serializable {
    public SliceSpec {
      columns = List.copyOf(columns);
    }

    /** The slicing's name: its columns joined by " & ". */
    public String name() {
      return String.join(" & ", columns.stream().map(SliceColumn::column).toList());
    }
  }

  /**
   * A column a slicing groups by.
   *
   * @param column the column
   * @param buckets 0 to slice by value; otherwise the number of equal-frequency buckets (numeric columns)
   */
  public record SliceColumn(String column, int buckets) implements java.io.Serializable {}

  /**
   * The {@code blessing} section: the bar a model must clear on the test split to be blessed, so that the
   * champion alias moves to it.
   *
   * @param thresholds absolute bounds per metric
   * @param versusChampion how much worse than the champion (scored on this run's test split) a metric may be
   * @param championAlias the registry alias of the current best model
   */
  public record BlessingSpec(Map<String, Bound> thresholds, Map<String, Change> versusChampion, String championAlias) {
    public BlessingSpec {
      thresholds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(thresholds));
      versusChampion = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(versusChampion));
    }
  }

  /** An absolute bound on a metric: at least {@code min}, at most {@code max} (null = no bound). */
  public record Bound(Double min, Double max) {}

  /**
   * How much worse than the champion a metric may be: by at most {@code tolerance}, lower being worse when
   * {@code higherIsBetter} ({@code maxDrop}), higher being worse otherwise ({@code maxRise}).
   */
  public record Change(boolean higherIsBetter, double tolerance) {}

  /** A source declaration. */
  public record SourceSpec(String name, String type, double maxRejectedFraction, Map<String, Object> config, String keyPath) {}

  /**
   * Tracking: the {@code tracking} section.
   *
   * @param experiment the experiment runs are filed under (default: the pipeline's name)
   * @param runName the run's name, or {@code null} for pipeline name and start time
   * @param tags extra tags of every run
   * @param register whether to register the model after a successful run
   * @param registeredModel the registered model's name (default: the pipeline's name)
   * @param alias the alias pointed at each new version ({@code challenger} by default)
   * @param tracker the tracker plugin and its configuration ({@code mlflow} by default)
   */
  public record TrackingSpec(String experiment, String runName, Map<String, String> tags, boolean register,
      String registeredModel, String alias, StageSpec tracker) {}

  /** A declared column: {@code numeric}, {@code categorical} or {@code sparse} (with a dimension). */
  public record ColumnSpec(String name, String type, int dimension) {}

  /**
   * The label.
   *
   * @param column the label column
   * @param task binary, multiclass or regression
   * @param positive binary with a text label: the values meaning class 1
   * @param classes multi-class: the class names (empty = fitted from the training split); binary: optional names
   */
  public record LabelDecl(String column, String task, List<String> positive, List<String> classes) {}

  /**
   * The split.
   *
   * @param type random, stratified, column, time or inputs
   * @param testFraction random/stratified: share of rows for test
   * @param validationFraction share of the training rows held out for validation (early stopping)
   * @param column column/time: the column
   * @param testFrom time: rows at or after this value are test
   * @param validationFrom time: rows at or after this value (and before testFrom) are validation
   */
  public record SplitSpec(String type, double testFraction, double validationFraction, String column, String testFrom,
      String validationFrom) implements java.io.Serializable {
    /** A time boundary ({@link #testFrom} or {@link #validationFrom}) as a number, for a numeric time column; NaN when none. */
    public static double number(String boundary) {
      try {
        return boundary == null ? Double.NaN : Double.parseDouble(boundary.strip());
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
  }

  /** Transforms applied to each of some columns. */
  public record FeatureSpec(List<String> columns, List<StageSpec> transforms, String keyPath) {}

  /** A stage: its plugin identifier and its configuration. */
  public record StageSpec(String type, Map<String, Object> config, String keyPath) {}
}
