package dev.beamline.core.plan;

import dev.beamline.core.plan.RunPlan.ColumnPlan;
import dev.beamline.core.plan.RunPlan.PlannedSource;
import dev.beamline.core.plan.RunPlan.PlannedStage;
import dev.beamline.core.plan.RunPlan.PlannedStep;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.spec.PipelineSpec;
import dev.beamline.core.spec.PipelineSpec.ColumnSpec;
import dev.beamline.core.spec.PipelineSpec.FeatureSpec;
import dev.beamline.core.spec.PipelineSpec.StageSpec;
import dev.beamline.features.LabelSpec;
import dev.beamline.spi.EvaluatorFactory;
import dev.beamline.spi.StageKind;
import dev.beamline.spi.tracking.TrackerFactory;
import dev.beamline.spi.FeatureFactory;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.feature.ValueType;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Resolves a {@link PipelineSpec} into a {@link RunPlan}; every problem is a {@link ConfigException} naming the key. */
public final class Planner {
  private final PluginRegistry registry;

  /** @param registry the installed plugins */
  @Inject
  public Planner(PluginRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Resolves the spec; reads the data's header (and a sample, to infer a schema) but runs nothing. */
  /**
   * A source setting keyed by column ({@code replace: {COLUMN: {...}}}, a convention of the source plugins)
   * must name columns of the schema: a typo would otherwise change nothing, silently.
   */
  /** The metrics an evaluator reports: those of its empty accumulator. */
  @SuppressWarnings("unchecked")
  private static <A> Set<String> metricNames(org.apache.beam.sdk.transforms.Combine.CombineFn<?, A, Map<String, Double>> fn) {
    return fn.extractOutput(fn.createAccumulator()).keySet();
  }

  /** Every metric the blessing names is one the evaluator reports. */
  private static void checkBlessing(PipelineSpec spec, Set<String> reported) {
    if (spec.blessing() == null) {
      return;
    }
    if (!spec.evaluation().splits().contains("test")) {
      throw new ConfigException(spec.document().at("evaluator.splits") + ": evaluator.splits: the blessing judges the test split's "
          + "metrics; add test to splits");
    }
    List<String> named = new ArrayList<>(spec.blessing().thresholds().keySet());
    named.addAll(spec.blessing().versusChampion().keySet());
    for (String metric : named) {
      if (!reported.contains(metric)) {
        String key = spec.blessing().thresholds().containsKey(metric) ? "blessing.thresholds." + metric : "blessing.versusChampion." + metric;
        throw new ConfigException(spec.document().at(key) + ": " + key + ": the evaluator reports no metric '" + metric + "'; it reports "
            + new java.util.TreeSet<>(reported));
      }
    }
  }

  /** Each slice column is a numeric or categorical column of the data; buckets need a numeric one and the statistics. */
  private static void checkSlices(PipelineSpec spec, Schema schema, String schemaOrigin) {
    for (PipelineSpec.SliceSpec slice : spec.evaluation().slices()) {
      String at = spec.document().at(slice.keyPath()) + ": " + slice.keyPath() + ": ";
      for (PipelineSpec.SliceColumn part : slice.columns()) {
        Column c = schema.find(part.column()).orElseThrow(() -> new ConfigException(at + "'" + part.column()
            + "' is not a column of the data" + schemaOrigin + "; columns: " + schema.names()));
        if (c.type() == ColumnType.SPARSE) {
          throw new ConfigException(at + "'" + part.column() + "' is a sparse vector; slice by a numeric or categorical column");
        }
        if (part.buckets() > 0 && c.type() != ColumnType.NUMERIC) {
          throw new ConfigException(at + "'" + part.column() + "' is categorical; buckets split a numeric column, slice it by value: "
              + part.column());
        }
        if (part.buckets() > 0 && !spec.statistics().enabled()) {
          throw new ConfigException(at + "buckets are cut at the training split's quantiles, from its statistics;"
              + " remove statistics.enabled: false");
        }
      }
    }
  }

  private static void checkColumnKeys(PipelineSpec spec, PlannedSource s, Schema schema) {
    if (s.displayConfig().get("replace") instanceof Map<?, ?> replace) {
      for (Object column : replace.keySet()) {
        if (schema.position(String.valueOf(column)) < 0) {
          String key = "sources." + s.name() + ".replace." + column;
          throw new ConfigException(spec.document().at("sources." + s.name() + ".replace") + ": " + key + ": no column '" + column
              + "' in the schema; its columns are " + schema.names());
        }
      }
    }
  }

  public RunPlan plan(PipelineSpec spec) {
    var doc = spec.document();
    String specFile = spec.file().toString();
    List<PlannedSource> sources = new ArrayList<>();
    int ordinal = 0;
    for (PipelineSpec.SourceSpec s : spec.sources().values()) {
      String where = doc.at(s.keyPath()) + ": " + s.keyPath();
      SourceFactory factory = registry.source(s.type(), doc.at(s.keyPath() + ".type") + ": " + s.keyPath() + ".type");
      StageConfig config = factory.configSpec().validate(where, s.config());
      SourceStage stage = factory.create(config, new SourceContext(s.name(), ordinal++, spec.baseDirectory(), specFile));
      sources.add(new PlannedSource(s.name(), s.type(), stage, s.maxRejectedFraction(), config.displayValues()));
    }

    boolean inferred = spec.schema() == null;
    Schema schema = inferred ? infer(spec, sources) : declared(spec);
    for (PlannedSource s : sources) {
      checkColumnKeys(spec, s, schema);
      try {
        s.stage().checkSchema(schema);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the input of source '" + s.name() + "': " + e.getMessage(), e);
      }
    }
    String schemaOrigin = inferred ? " (schema inferred from source '" + sources.get(0).name() + "')" : "";

    // The label.
    PipelineSpec.LabelDecl decl = spec.label();
    TaskType taskType = TaskType.valueOf(decl.task().toUpperCase(Locale.ROOT));
    Column labelColumn = decl.column() == null ? null : schema.find(decl.column()).orElseThrow(() -> new ConfigException(doc.at("label.column")
        + ": label.column: '" + decl.column() + "' is not a column of the data" + schemaOrigin + "; columns: " + schema.names()));
    List<String> classes = new ArrayList<>(decl.classes());
    boolean fitClasses = false;
    switch (taskType) {
      case REGRESSION -> {
        if (labelColumn.type() != ColumnType.NUMERIC) {
          throw new ConfigException(doc.at("label.task") + ": label.task: regression needs a numeric label, but '"
              + decl.column() + "' is " + labelColumn.type().name().toLowerCase(Locale.ROOT) + schemaOrigin);
        }
        classes.clear();
      }
      case BINARY -> {
        if (labelColumn.type() == ColumnType.CATEGORICAL && decl.positive().isEmpty()) {
          throw new ConfigException(doc.at("label") + ": label.positive: the label '" + decl.column()
              + "' is text; list the values that mean the positive class, e.g. positive: [\">50K\"]");
        }
        if (labelColumn.type() == ColumnType.SPARSE) {
          throw new ConfigException(doc.at("label.column") + ": label.column: '" + decl.column() + "' is a sparse vector");
        }
        if (classes.isEmpty()) {
          classes = List.of("0", "1");
        } else if (classes.size() != 2) {
          throw new ConfigException(doc.at("label.classes") + ": label.classes: a binary task has two classes (negative, positive)");
        }
      }
      case MULTICLASS -> {
        if (classes.isEmpty()) {
          fitClasses = true;
        } else if (classes.size() < 2) {
          throw new ConfigException(doc.at("label.classes") + ": label.classes: list at least two classes");
        }
      }
      case CLUSTERING -> fitClasses = checkReference(spec, labelColumn, classes, schemaOrigin);
    }
    LabelSpec label = new LabelSpec(decl.column(), new Task(taskType, classes), decl.positive());

    String weight = spec.weightColumn();
    if (weight != null) {
      Column w = schema.find(weight).orElseThrow(() -> new ConfigException(doc.at("weight") + ": weight: '" + weight
          + "' is not a column of the data" + schemaOrigin + "; columns: " + schema.names()));
      if (w.type() != ColumnType.NUMERIC) {
        throw new ConfigException(doc.at("weight") + ": weight: '" + weight + "' must be numeric");
      }
    }

    // The split.
    PipelineSpec.SplitSpec split = spec.split();
    if (split.column() != null && schema.find(split.column()).isEmpty()) {
      throw new ConfigException(doc.at("split.column") + ": split.column: '" + split.column() + "' is not a column of the data"
          + schemaOrigin + "; columns: " + schema.names());
    }
    if (split.type().equals("time") && schema.find(split.column()).map(Column::type).orElse(null) == ColumnType.NUMERIC) {
      for (String key : List.of("testFrom", "validationFrom")) {
        String boundary = key.equals("testFrom") ? split.testFrom() : split.validationFrom();
        if (boundary != null && Double.isNaN(PipelineSpec.SplitSpec.number(boundary))) {
          throw new ConfigException(doc.at("split." + key) + ": split." + key + ": '" + boundary + "' is not a number, and the time "
              + "column '" + split.column() + "' is numeric; give a number, or declare the column categorical to compare it as text "
              + "(ISO dates: 2024-03-01)");
        }
      }
    }

    // The features.
    List<ColumnPlan> features = new ArrayList<>();
    Set<String> used = new HashSet<>();
    for (FeatureSpec f : spec.features()) {
      for (String column : f.columns()) {
        Column c = schema.find(column).orElseThrow(() -> new ConfigException(doc.at(f.keyPath()) + ": " + f.keyPath()
            + ": '" + column + "' is not a column of the data" + schemaOrigin + "; columns: " + schema.names()));
        if (column.equals(decl.column())) { // a clustering reference too: the clusters are compared with it
          throw new ConfigException(doc.at(f.keyPath()) + ": " + f.keyPath() + ": '" + column
              + "' is the label; a feature made from the label leaks it into the model");
        }
        if (!used.add(column)) {
          throw new ConfigException(doc.at(f.keyPath()) + ": " + f.keyPath() + ": '" + column
              + "' is listed twice among the features; give each column one chain of transforms");
        }
        features.add(chain(spec, f, c));
      }
    }

    // Trainer and evaluator: validated now against the task, created again on the worker.
    TrainerFactory trainer = registry.trainer(spec.trainer().type(), doc.at("trainer.type") + ": trainer.type");
    Map<String, Object> trainerValues = new LinkedHashMap<>(spec.trainer().config());
    trainerValues.putIfAbsent("seed", spec.seed());
    StageConfig trainerConfig = trainer.configSpec().validate(doc.at("trainer") + ": trainer", trainerValues);
    Task checkTask = fitClasses ? new Task(taskType, List.of("a", "b", "c")) : label.task();
    located(doc.at("trainer"), () -> trainer.create(trainerConfig, checkTask));
    EvaluatorFactory evaluator = registry.evaluator(spec.evaluator().type(), doc.at("evaluator.type") + ": evaluator.type");
    Map<String, Object> evaluatorValues = new LinkedHashMap<>(spec.evaluator().config());
    if (evaluator.configSpec().keys().stream().anyMatch(k -> k.name().equals("seed"))) {
      evaluatorValues.putIfAbsent("seed", spec.seed()); // an evaluator that samples takes the pipeline's seed
    }
    StageConfig evaluatorConfig = evaluator.configSpec().validate(doc.at("evaluator") + ": evaluator", evaluatorValues);
    var evaluatorFn = located(doc.at("evaluator"), () -> evaluator.create(evaluatorConfig, checkTask));
    checkSlices(spec, schema, schemaOrigin);
    checkBlessing(spec, metricNames(evaluatorFn));
    TuningPlan tuning = TuningPlan.resolve(spec, schema, trainer, trainerValues, checkTask, metricNames(evaluatorFn));

    // Tracker: validated when installed; a pipeline that names one explicitly needs it installed.
    PlannedStage tracker = null;
    var trackerSpec = spec.tracking().tracker();
    if (registry.has(StageKind.TRACKER, trackerSpec.type()) || spec.resolved().containsKey("tracking")) {
      TrackerFactory factory = registry.tracker(trackerSpec.type(), doc.at("tracking.tracker.type") + ": tracking.tracker.type");
      tracker = new PlannedStage(trackerSpec.type(),
          factory.configSpec().validate(doc.at("tracking.tracker") + ": tracking.tracker", trackerSpec.config()));
    }

    return new RunPlan(spec, sources, schema, inferred, label, fitClasses, weight, features,
        new PlannedStage(spec.trainer().type(), trainerConfig), new PlannedStage(spec.evaluator().type(), evaluatorConfig), tracker, tuning);
  }

  /**
   * A clustering pipeline's reference column, if it names one: numeric (its values are the reference groups) or text
   * (its classes declared, or fitted from the training split: returns true then). Nothing else of the label section
   * applies, and the split cannot be stratified by a label clustering does not have.
   */
  private static boolean checkReference(PipelineSpec spec, Column column, List<String> classes, String schemaOrigin) {
    var doc = spec.document();
    if (!spec.label().positive().isEmpty()) {
      throw new ConfigException(doc.at("label.positive") + ": label.positive: clustering has no positive class; remove it");
    }
    if (spec.split().type().equals("stratified")) {
      throw new ConfigException(doc.at("split.type") + ": split.type: stratified needs a label to stratify by, and clustering "
          + "learns without one; use random (the default)");
    }
    if (column == null) {
      if (!classes.isEmpty()) {
        throw new ConfigException(doc.at("label.classes") + ": label.classes: name the reference column they are the classes of "
            + "(label.column), or remove them");
      }
      return false;
    }
    if (column.type() == ColumnType.SPARSE) {
      throw new ConfigException(doc.at("label.column") + ": label.column: '" + column.name() + "' is a sparse vector" + schemaOrigin);
    }
    return column.type() == ColumnType.CATEGORICAL && classes.isEmpty();
  }

  private ColumnPlan chain(PipelineSpec spec, FeatureSpec f, Column column) {
    var doc = spec.document();
    ValueType input = switch (column.type()) {
      case NUMERIC -> ValueType.NUMBER;
      case CATEGORICAL -> ValueType.TEXT;
      case SPARSE -> ValueType.SPARSE;
    };
    ValueType type = input;
    List<PlannedStep> steps = new ArrayList<>();
    for (int i = 0; i < f.transforms().size(); i++) {
      StageSpec t = f.transforms().get(i);
      String key = t.keyPath();
      if (type == ValueType.ENCODED) {
        throw new ConfigException(doc.at(key) + ": " + key + ": '" + t.type() + "' follows an encoder; put encoders "
            + "(vocabulary, hash with onehot) last in the chain of '" + column.name() + "'");
      }
      FeatureFactory factory = registry.feature(t.type(), doc.at(key + ".type") + ": " + key + ".type");
      if (!factory.accepts().contains(type)) {
        throw new ConfigException(doc.at(key) + ": " + key + ": '" + t.type() + "' takes " + factory.accepts()
            + " values, but column '" + column.name() + "' gives " + type + " here"
            + (type == ValueType.TEXT ? "; declare the column numeric in the schema if it holds numbers" : ""));
      }
      StageConfig config = factory.configSpec().validate(doc.at(key) + ": " + key, t.config());
      ValueType stepInput = type;
      boolean stateful = located(doc.at(key), () -> factory.analyzer(config, stepInput)) != null;
      ValueType out = located(doc.at(key), () -> factory.outputType(config, stepInput));
      steps.add(new PlannedStep(t.type(), config, type, out, stateful));
      type = out;
    }
    if (type == ValueType.TEXT) {
      throw new ConfigException(doc.at(f.keyPath()) + ": " + f.keyPath() + ": column '" + column.name()
          + "' is categorical; end its transforms with an encoder, e.g. transforms: [{type: vocabulary}]");
    }
    return new ColumnPlan(column.name(), input, steps);
  }

  /** Runs a plugin's check; its error, which names the key but not the file, gets the file and line. */
  private static <T> T located(String where, java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (ConfigException e) {
      throw e.getMessage().startsWith(where.split(":")[0]) ? e : new ConfigException(where + ": " + e.getMessage(), e);
    }
  }

  private static Schema declared(PipelineSpec spec) {
    List<Column> columns = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ColumnSpec c : spec.schema()) {
      if (!names.add(c.name())) {
        throw new ConfigException(spec.document().at("schema.columns") + ": schema.columns: '" + c.name() + "' is declared twice");
      }
      ColumnType type = ColumnType.valueOf(c.type().toUpperCase(Locale.ROOT));
      if (type == ColumnType.SPARSE && c.dimension() < 1) {
        throw new ConfigException(spec.document().at("schema.columns") + ": schema.columns: sparse column '" + c.name()
            + "' needs a dimension (the number of features)");
      }
      columns.add(new Column(c.name(), type, c.dimension()));
    }
    return new Schema(columns);
  }

  private static Schema infer(PipelineSpec spec, List<PlannedSource> sources) {
    PlannedSource first = sources.get(0);
    try {
      Optional<Schema> schema = first.stage().inferSchema(spec.inferSampleRows());
      return schema.orElseThrow(() -> new ConfigException(spec.document().at("sources") + ": source '" + first.name()
          + "' (" + first.type() + ") cannot infer a schema; declare it under schema.columns"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the input of source '" + first.name() + "': " + e.getMessage(), e);
    }
  }
}
