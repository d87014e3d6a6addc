package dev.beamline.core.spec;

import dev.beamline.core.spec.PipelineSpec.ColumnSpec;
import dev.beamline.core.spec.PipelineSpec.FeatureSpec;
import dev.beamline.core.spec.PipelineSpec.LabelDecl;
import dev.beamline.core.spec.PipelineSpec.SourceSpec;
import dev.beamline.core.spec.PipelineSpec.SplitSpec;
import dev.beamline.core.spec.PipelineSpec.StageSpec;
import dev.beamline.statistics.StatisticsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a pipeline YAML file into a {@link PipelineSpec}, checking its shape. */
public final class SpecParser {
  private static final Set<String> TOP = Set.of("name", "description", "seed", "sources", "schema", "label", "weight",
      "split", "features", "trainer", "evaluator", "tracking", "statistics", "validation", "blessing", "report", "tuning");
  private static final Set<String> TASKS = Set.of("binary", "multiclass", "regression", "clustering");
  private static final Set<String> SPLITS = Set.of("random", "stratified", "column", "time", "inputs");
  private static final Set<String> COLUMN_TYPES = Set.of("numeric", "categorical", "sparse");

  private SpecParser() {}

  /** Reads and parses a pipeline file with overrides. */
  public static PipelineSpec read(Path file, List<String> overrides) {
    YamlDocument doc = YamlDocument.read(file);
    doc.override(overrides);
    return parse(file, doc);
  }

  /** Parses a document. */
  @SuppressWarnings("unchecked")
  public static PipelineSpec parse(Path file, YamlDocument doc) {
    Node root = Node.root(doc).only(TOP);
    String name = root.requiredString("name", "name the pipeline, e.g. name: adult-income");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
      throw root.error("name", "'" + name + "' may only hold letters, digits, '.', '_' and '-'");
    }

    Map<String, SourceSpec> sources = new LinkedHashMap<>();
    Node sourcesNode = root.child("sources", true, "declare at least one source, e.g. sources: {data: {type: csv, path: data.csv}}");
    if (sourcesNode.map().isEmpty()) {
      throw root.error("sources", "declare at least one source");
    }
    for (Map.Entry<String, Node> e : sourcesNode.entries()) {
      Node s = e.getValue();
      String type = s.requiredString("type", "name the source plugin, e.g. type: csv (beamline plugins lists them)");
      double maxRejected = s.number("maxRejectedFraction", 0.01);
      if (maxRejected < 0 || maxRejected > 1) {
        throw s.error("maxRejectedFraction", "must be between 0 and 1");
      }
      Map<String, Object> config = new LinkedHashMap<>(s.map());
      config.remove("type");
      config.remove("maxRejectedFraction");
      sources.put(e.getKey(), new SourceSpec(e.getKey(), type, maxRejected, config, s.path()));
    }

    List<ColumnSpec> schema = null;
    int sampleRows = 10000;
    if (root.has("schema")) {
      Node schemaNode = root.child("schema", false, "").only(Set.of("columns", "inferSampleRows"));
      sampleRows = (int) schemaNode.integer("inferSampleRows", 10000);
      if (schemaNode.has("columns")) {
        schema = new ArrayList<>();
        for (Node c : schemaNode.children("columns", true, "each column is {name: age, type: numeric}")) {
          c.only(Set.of("name", "type", "dimension"));
          String type = c.string("type", "numeric");
          if (!COLUMN_TYPES.contains(type)) {
            throw c.error("type", "'" + type + "' is not a column type; use numeric, categorical or sparse");
          }
          schema.add(new ColumnSpec(c.requiredString("name", "name the column"), type, (int) c.integer("dimension", 0)));
        }
      }
    }

    Node labelNode = root.child("label", true, "name the label column and task, e.g. label: {column: income, task: binary}")
        .only(Set.of("column", "task", "positive", "classes"));
    String task = labelNode.requiredString("task", "one of binary, multiclass, regression, clustering");
    if (!TASKS.contains(task)) {
      throw labelNode.error("task", "'" + task + "' is not a task; use binary, multiclass, regression or clustering");
    }
    // Clustering learns without a label: a column, when named, is the reference the clusters are compared with.
    String column = task.equals("clustering") ? labelNode.string("column", null) : labelNode.requiredString("column", "name the label column");
    LabelDecl label = new LabelDecl(column, task, labelNode.strings("positive"), labelNode.strings("classes"));

    String weight = root.string("weight", null);

    boolean hasInputs = sources.containsKey("train") && sources.containsKey("test");
    Node splitNode = root.child("split", false, "").only(Set.of("type", "testFraction", "validationFraction", "column",
        "testFrom", "validationFrom"));
    String splitType = splitNode.string("type", hasInputs ? "inputs" : "random");
    if (!SPLITS.contains(splitType)) {
      throw splitNode.error("type", "'" + splitType + "' is not a split; use random, stratified, column, time or inputs");
    }
    if (splitType.equals("inputs") && !hasInputs) {
      throw splitNode.error("type", "split by inputs needs sources named train and test (and optionally validation); found "
          + sources.keySet());
    }
    if (!splitType.equals("inputs") && sources.size() > 1) {
      throw root.error("sources", "with split " + splitType + " all data comes from one source; name the sources train and test "
          + "(split: inputs) to read separate inputs");
    }
    double testFraction = splitNode.number("testFraction", 0.2);
    double validationFraction = splitNode.number("validationFraction", 0.0);
    if (!(testFraction > 0 && testFraction < 1)) {
      throw splitNode.error("testFraction", "must be between 0 and 1");
    }
    if (validationFraction < 0 || validationFraction >= 1) {
      throw splitNode.error("validationFraction", "must be in [0, 1)");
    }
    if ((splitType.equals("column") || splitType.equals("time")) && !splitNode.has("column")) {
      throw splitNode.error("column", "missing; split " + splitType + " needs the column to split by");
    }
    if (splitType.equals("time") && !splitNode.has("testFrom")) {
      throw splitNode.error("testFrom", "missing; rows whose time is at or after testFrom are the test split");
    }
    SplitSpec split = new SplitSpec(splitType, testFraction, validationFraction, splitNode.string("column", null),
        splitNode.string("testFrom", null), splitNode.string("validationFrom", null));

    List<FeatureSpec> features = new ArrayList<>();
    for (Node f : root.children("features", true,
        "list the feature columns and their transforms, e.g. features: [{columns: [age], transforms: [{type: zscore}]}]")) {
      f.only(Set.of("column", "columns", "transforms"));
      List<String> columns = new ArrayList<>(f.strings("column"));
      columns.addAll(f.strings("columns"));
      if (columns.isEmpty()) {
        throw f.error(null, "name the column(s): column: age, or columns: [age, fnlwgt]");
      }
      List<StageSpec> transforms = new ArrayList<>();
      for (Node t : f.children("transforms", false, "each transform is {type: zscore, ...}")) {
        transforms.add(stage(t, "name the transform, e.g. type: zscore"));
      }
      features.add(new FeatureSpec(columns, transforms, f.path()));
    }

    Node trainerNode = root.child("trainer", true, "declare the trainer, e.g. trainer: {type: xgboost}");
    StageSpec trainer = stage(trainerNode, "name the trainer, e.g. type: xgboost", HOST_TRAINER_KEYS);
    PipelineSpec.WorkersSpec workers = workers(trainerNode);
    Node evaluatorNode = root.child("evaluator", false, "");
    PipelineSpec.EvaluationSpec evaluation = evaluation(evaluatorNode);
    // The standard evaluator unless the section names another: settings alone (e.g. --set evaluator.bootstrap.samples=0) keep it.
    StageSpec evaluator = stageOfType(evaluatorNode, evaluatorNode.string("type", "standard"), HOST_EVALUATOR_KEYS);

    PipelineSpec.TrackingSpec tracking = tracking(root, name);
    PipelineSpec.BlessingSpec blessing = root.has("blessing") ? blessing(root.child("blessing", false, ""), tracking) : null;
    PipelineSpec.StatisticsSpec statistics = statistics(root);
    Path validationSchema = null;
    if (root.has("validation")) {
      Node v = root.child("validation", false, "").only(Set.of("schema"));
      String schemaFile = v.requiredString("schema", "name the data schema file, e.g. schema: schema.yaml (beamline infer-schema writes one)");
      Path parent = file.toAbsolutePath().getParent();
      validationSchema = (parent == null ? Path.of(schemaFile) : parent.resolve(schemaFile)).normalize();
      if (!statistics.enabled()) {
        throw v.error("schema", "validation reads the data statistics; remove statistics.enabled: false");
      }
    }

    return new PipelineSpec(name, root.string("description", ""), root.integer("seed", 42), file, sources, schema, sampleRows,
        label, weight, split, features, trainer, workers, evaluator, evaluation, tracking, blessing, statistics,
        root.child("report", false, "e.g. report: {enabled: false}").only(Set.of("enabled")).bool("enabled", true), validationSchema,
        TuningParser.parse(root, task), (Map<String, Object>) YamlDocument.copy(doc.root()), doc);
  }

  private static PipelineSpec.StatisticsSpec statistics(Node root) {
    StatisticsOptions d = StatisticsOptions.DEFAULT;
    if (!root.has("statistics")) {
      return new PipelineSpec.StatisticsSpec(true, d);
    }
    Node s = root.child("statistics", false, "").only(Set.of("enabled", "topValues", "histogramBins", "relativeAccuracy", "maxValues"));
    int topValues = (int) s.integer("topValues", d.topValues());
    int bins = (int) s.integer("histogramBins", d.histogramBins());
    double accuracy = s.number("relativeAccuracy", d.relativeAccuracy());
    int maxValues = (int) s.integer("maxValues", d.maxValues());
    if (topValues < 0) {
      throw s.error("topValues", "must be at least 0");
    }
    if (bins < 1 || bins > 1000) {
      throw s.error("histogramBins", "must be between 1 and 1000");
    }
    if (!(accuracy > 0 && accuracy < 1)) {
      throw s.error("relativeAccuracy", "must be between 0 and 1, e.g. 0.01 for quantiles within 1%");
    }
    if (maxValues < 1) {
      throw s.error("maxValues", "must be at least 1");
    }
    return new PipelineSpec.StatisticsSpec(s.bool("enabled", true), new StatisticsOptions(topValues, bins, accuracy, maxValues));
  }

  private static PipelineSpec.TrackingSpec tracking(Node root, String name) {
    Node t = root.has("tracking") ? root.child("tracking", false, "")
        .only(Set.of("experiment", "runName", "tags", "register", "registeredModel", "alias", "tracker")) : null;
    if (t == null) {
      return new PipelineSpec.TrackingSpec(name, null, Map.of(), true, name, "challenger",
          new StageSpec("mlflow", Map.of(), "tracking.tracker"));
    }
    Map<String, String> tags = new LinkedHashMap<>();
    if (t.has("tags")) {
      Node tagNode = t.child("tags", false, "");
      tagNode.map().forEach((k, v) -> {
        if (v instanceof Map || v instanceof List) {
          throw tagNode.error(k, "a tag's value is text, not a list or map");
        }
        tags.put(k, String.valueOf(v));
      });
    }
    StageSpec tracker = t.has("tracker") ? stage(t.child("tracker", false, ""), "name the tracker, e.g. type: mlflow")
        : new StageSpec("mlflow", Map.of(), "tracking.tracker");
    String runName = t.string("runName", "");
    return new PipelineSpec.TrackingSpec(t.string("experiment", name), runName.isEmpty() ? null : runName, tags,
        t.bool("register", true), t.string("registeredModel", name), t.string("alias", "challenger"), tracker);
  }

  private static StageSpec stage(Node node, String hint) {
    return stage(node, hint, Set.of());
  }

  /** A stage whose type the section must name. */
  private static StageSpec stage(Node node, String hint, Set<String> hostKeys) {
    return stageOfType(node, node.requiredString("type", hint), hostKeys);
  }

  /** A stage of {@code type}, its section's other keys but {@code hostKeys} (read by the host) as the plugin's configuration. */
  private static StageSpec stageOfType(Node node, String type, Set<String> hostKeys) {
    Map<String, Object> config = new LinkedHashMap<>(node.map());
    config.remove("type");
    config.keySet().removeAll(hostKeys);
    return new StageSpec(type, config, node.path());
  }

  /** The {@code blessing} section: thresholds, versusChampion, championAlias. */
  private static PipelineSpec.BlessingSpec blessing(Node b, PipelineSpec.TrackingSpec tracking) {
    b.only(Set.of("thresholds", "versusChampion", "championAlias"));
    Map<String, PipelineSpec.Bound> thresholds = new LinkedHashMap<>();
    for (Map.Entry<String, Node> t : b.child("thresholds", false, "e.g. thresholds: {auc: {min: 0.92}}").entries()) {
      Node m = t.getValue().only(Set.of("min", "max"));
      Double min = m.has("min") ? m.number("min", 0) : null;
      Double max = m.has("max") ? m.number("max", 0) : null;
      if (min == null && max == null) {
        throw m.error(null, "give a bound: {min: 0.92} or {max: 0.35}");
      }
      thresholds.put(t.getKey(), new PipelineSpec.Bound(min, max));
    }
    Map<String, PipelineSpec.Change> versus = new LinkedHashMap<>();
    for (Map.Entry<String, Node> t : b.child("versusChampion", false, "e.g. versusChampion: {auc: {maxDrop: 0.002}}").entries()) {
      Node m = t.getValue().only(Set.of("maxDrop", "maxRise"));
      if (m.has("maxDrop") == m.has("maxRise")) {
        throw m.error(null, "give one of maxDrop (higher is better, e.g. auc) or maxRise (lower is better, e.g. logloss)");
      }
      String key = m.has("maxDrop") ? "maxDrop" : "maxRise";
      double tolerance = m.number(key, 0);
      if (!(tolerance >= 0)) {
        throw m.error(key, "must be 0 or more");
      }
      versus.put(t.getKey(), new PipelineSpec.Change(key.equals("maxDrop"), tolerance));
    }
    if (thresholds.isEmpty() && versus.isEmpty()) {
      throw b.error(null, "give thresholds, versusChampion or both, e.g. thresholds: {auc: {min: 0.92}}");
    }
    String alias = b.string("championAlias", "champion");
    if (alias.equals(tracking.alias())) {
      throw b.error("championAlias", "'" + alias + "' is tracking.alias, which every new version gets; name the champion otherwise");
    }
    return new PipelineSpec.BlessingSpec(thresholds, versus, alias);
  }

  /** The keys of the evaluator section the host reads, whatever the evaluator plugin. */
  private static final Set<String> HOST_EVALUATOR_KEYS = Set.of("slices", "bootstrap", "splits");
  private static final Set<String> HOST_TRAINER_KEYS = Set.of("workers", "workersUnavailable", "trackerHost", "trackerPort",
      "workerTimeoutSeconds");

  /** The trainer section's {@code workers} and its companions. */
  private static PipelineSpec.WorkersSpec workers(Node trainer) {
    PipelineSpec.WorkersSpec d = PipelineSpec.WorkersSpec.ONE;
    int workers = 1;
    Object raw = trainer.raw("workers");
    if ("auto".equals(raw)) {
      workers = 0;
    } else if (raw != null) {
      long n = raw instanceof Number ? trainer.integer("workers", 1) : -1;
      if (n < 1 || n > 1024) {
        throw trainer.error("workers", "give how many workers train the model together, 1 to 1024, or auto (the runner's parallelism)");
      }
      workers = (int) n;
    }
    String unavailable = trainer.string("workersUnavailable", "fail");
    if (!unavailable.equals("fail") && !unavailable.equals("single")) {
      throw trainer.error("workersUnavailable", "fail (exit 2 when the runner cannot run every worker at once) or single (train on "
          + "one worker, with a warning)");
    }
    long port = trainer.integer("trackerPort", d.trackerPort());
    if (port < 0 || port > 65535) {
      throw trainer.error("trackerPort", "a port, 0 to 65535 (0: a free one)");
    }
    long timeout = trainer.integer("workerTimeoutSeconds", d.timeoutSeconds());
    if (timeout < 1 || timeout > 86_400) {
      throw trainer.error("workerTimeoutSeconds", "seconds, 1 to 86400");
    }
    String host = trainer.string("trackerHost", "");
    return new PipelineSpec.WorkersSpec(workers, unavailable.equals("single"), host.isBlank() ? null : host, (int) port, (int) timeout);
  }

  /** The evaluator section's {@code slices} and {@code bootstrap}. */
  private static PipelineSpec.EvaluationSpec evaluation(Node evaluator) {
    PipelineSpec.EvaluationSpec d = PipelineSpec.EvaluationSpec.DEFAULT;
    List<PipelineSpec.SliceSpec> slices = new ArrayList<>();
    Object raw = evaluator.raw("slices");
    if (raw != null && !(raw instanceof List)) {
      throw evaluator.error("slices", "expected a list, e.g. slices: [sex, {column: age, buckets: 4}, {cross: [sex, race]}]");
    }
    List<?> items = raw == null ? List.of() : (List<?>) raw;
    for (int i = 0; i < items.size(); i++) {
      Object item = items.get(i);
      if (item instanceof Map<?, ?> m && m.containsKey("cross")) {
        Node cross = evaluator.item("slices", i).only(Set.of("cross"));
        if (!(cross.raw("cross") instanceof List<?> parts) || parts.size() < 2) {
          throw cross.error("cross", "cross at least two columns, e.g. cross: [sex, race] or cross: [sex, {column: age, buckets: 4}]");
        }
        List<PipelineSpec.SliceColumn> columns = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
          columns.add(sliceColumn(cross, "cross", j));
        }
        slices.add(new PipelineSpec.SliceSpec(columns, cross.path()));
      } else {
        slices.add(new PipelineSpec.SliceSpec(List.of(sliceColumn(evaluator, "slices", i)), evaluator.key("slices." + i)));
      }
    }
    int samples = d.bootstrapSamples();
    double confidence = d.confidence();
    if (evaluator.has("bootstrap")) {
      Node b = evaluator.child("bootstrap", false, "e.g. bootstrap: {samples: 200, confidence: 0.95}").only(Set.of("samples", "confidence"));
      samples = (int) b.integer("samples", samples);
      confidence = b.number("confidence", confidence);
      if (samples < 0 || samples == 1 || samples > 10_000) {
        throw b.error("samples", "must be 0 (no intervals) or between 2 and 10000");
      }
      if (!(confidence > 0 && confidence < 1)) {
        throw b.error("confidence", "must be between 0 and 1, e.g. 0.95");
      }
    }
    List<String> splits = d.splits();
    if (evaluator.has("splits")) {
      splits = evaluator.strings("splits");
      for (String split : splits) {
        if (!PipelineSpec.EvaluationSpec.SPLITS.contains(split)) {
          throw evaluator.error("splits", "'" + split + "' is not a split; list some of train, validation, test");
        }
      }
      if (splits.isEmpty() || new java.util.HashSet<>(splits).size() < splits.size()) {
        throw evaluator.error("splits", "list each split to score once, e.g. splits: [validation, test]");
      }
      if (!splits.contains("test") && (!slices.isEmpty() || evaluator.has("bootstrap"))) {
        throw evaluator.error("splits", "slices and bootstrap intervals are the test split's; add test to splits");
      }
    }
    return new PipelineSpec.EvaluationSpec(slices, samples, confidence, splits);
  }

  /** One column of a slicing: a column name, or {column: NAME, buckets: N}. */
  private static PipelineSpec.SliceColumn sliceColumn(Node parent, String list, int index) {
    Object item = ((List<?>) parent.raw(list)).get(index);
    if (item instanceof String name && !name.isBlank()) {
      return new PipelineSpec.SliceColumn(name, 0);
    }
    if (item instanceof Map) {
      Node c = parent.item(list, index).only(Set.of("column", "buckets"));
      String column = c.requiredString("column", "name the column, e.g. {column: age, buckets: 4}");
      int buckets = (int) c.integer("buckets", 0);
      if (buckets == 1 || buckets < 0 || buckets > 100) {
        throw c.error("buckets", "must be between 2 and 100 (or left out to slice by value)");
      }
      return new PipelineSpec.SliceColumn(column, buckets);
    }
    throw parent.error(list + "." + index, "a slice is a column name, {column: age, buckets: 4} or {cross: [sex, race]}");
  }
}
