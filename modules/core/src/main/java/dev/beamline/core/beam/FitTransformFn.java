package dev.beamline.core.beam;

import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plan.RunPlan.ColumnPlan;
import dev.beamline.core.plan.RunPlan.PlannedStep;
import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.features.LabelSpec;
import dev.beamline.features.TransformJson;
import dev.beamline.spi.FeatureFactory;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.model.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Fits every feature step of every column, and the label's classes when they are fitted, in one pass over
 * the training split: one combiner that feeds each value to each step's analyzer. A stateful step sees the
 * column's value after the chain's preceding stateless steps. The output is the {@code transform.json}
 * text.
 */
final class FitTransformFn extends Combine.CombineFn<RecordBlock, FitTransformFn.Acc, String> {
  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private final List<ColumnPlan> columns;
  private final LabelSpec label;
  private final boolean fitClasses;
  private final String weightColumn;
  /**
   * The plugins' analyzers and stateless steps, made once and then only read: a runner may call one combiner
   * instance from several threads at once (the DirectRunner does), so they are published whole through a volatile
   * field, and the scratch a stateless step writes into is each call's own.
   */
  private transient volatile Prepared prepared;

  private record Prepared(List<List<Combine.CombineFn<Object, Object, Map<String, Object>>>> analyzers, List<List<FittedStep>> stateless,
      int width, int[] positions, int labelPosition) {}

  FitTransformFn(RunPlan plan) {
    this.schema = plan.schema();
    this.columns = plan.features();
    this.label = plan.label();
    this.fitClasses = plan.fitLabelClasses();
    this.weightColumn = plan.weightColumn();
  }

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    Object[][] steps;
    /** Per feature column: the smallest and largest number seen (NaN until one is; text columns stay NaN). */
    double[] min;
    double[] max;
    HashMap<String, Long> classes = new HashMap<>();
  }

  @SuppressWarnings("unchecked")
  private Prepared prepared() {
    Prepared p = prepared;
    if (p != null) {
      return p;
    }
    List<List<Combine.CombineFn<Object, Object, Map<String, Object>>>> a = new ArrayList<>();
    List<List<FittedStep>> s = new ArrayList<>();
    int width = 1;
    for (ColumnPlan c : columns) {
      List<Combine.CombineFn<Object, Object, Map<String, Object>>> ca = new ArrayList<>();
      List<FittedStep> cs = new ArrayList<>();
      for (PlannedStep step : c.steps()) {
        FeatureFactory factory = WorkerPlugins.registry().feature(step.id(), WorkerPlugins.where("feature step of column '" + c.column() + "'"));
        var analyzer = (Combine.CombineFn<Object, Object, Map<String, Object>>) factory.analyzer(step.config(), step.input());
        ca.add(analyzer);
        FittedStep fitted = analyzer == null ? factory.restore(step.input(), step.config().displayValues(), Map.of()) : null;
        cs.add(fitted);
        if (fitted != null) {
          width = Math.max(width, fitted.width());
        }
      }
      a.add(ca);
      s.add(cs);
    }
    p = new Prepared(a, s, width, columns.stream().mapToInt(c -> schema.position(c.column())).toArray(),
        fitClasses ? schema.position(label.column()) : -1);
    prepared = p; // two threads may both prepare: each result is whole and equal, either one serves
    return p;
  }

  @Override
  public Acc createAccumulator() {
    var analyzers = prepared().analyzers();
    Acc acc = new Acc();
    acc.steps = new Object[columns.size()][];
    acc.min = new double[columns.size()];
    acc.max = new double[columns.size()];
    java.util.Arrays.fill(acc.min, Double.NaN);
    java.util.Arrays.fill(acc.max, Double.NaN);
    for (int c = 0; c < columns.size(); c++) {
      acc.steps[c] = new Object[columns.get(c).steps().size()];
      for (int s = 0; s < acc.steps[c].length; s++) {
        var analyzer = analyzers.get(c).get(s);
        acc.steps[c][s] = analyzer == null ? null : analyzer.createAccumulator();
      }
    }
    return acc;
  }

  @Override
  public Acc addInput(Acc acc, RecordBlock block) {
    Prepared p = prepared();
    float[] scratch = new float[p.width()];
    for (int row = 0; row < block.size(); row++) {
      add(p, scratch, acc, block, row);
    }
    return acc;
  }

  /** Feeds row {@code row} of {@code block} to the analyzers (read in place: a record per row would be garbage). */
  private void add(Prepared p, float[] scratch, Acc acc, RecordBlock block, int row) {
    for (int c = 0; c < columns.size(); c++) {
      Object value = block.value(schema, row, p.positions()[c]);
      if (value instanceof Double d && !d.isNaN()) {
        widen(acc, c, d, d);
      }
      for (int s = 0; s < acc.steps[c].length; s++) {
        var analyzer = p.analyzers().get(c).get(s);
        if (analyzer != null) {
          acc.steps[c][s] = analyzer.addInput(acc.steps[c][s], value);
        } else {
          value = p.stateless().get(c).get(s).apply(value, scratch, 0);
        }
      }
    }
    if (fitClasses) {
      Object v = block.value(schema, row, p.labelPosition());
      if (v != null && !(v instanceof Double d && d.isNaN())) {
        String key = v instanceof Double d ? String.valueOf((long) d.doubleValue()) : String.valueOf(v);
        acc.classes.merge(key, 1L, Long::sum);
      }
    }
  }

  /** Widens column {@code c}'s range to take in [lo, hi] (NaN comparisons keep the other side). */
  private static void widen(Acc acc, int c, double lo, double hi) {
    if (Double.isNaN(lo)) {
      return;
    }
    acc.min[c] = Double.isNaN(acc.min[c]) ? lo : Math.min(acc.min[c], lo);
    acc.max[c] = Double.isNaN(acc.max[c]) ? hi : Math.max(acc.max[c], hi);
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    var analyzers = prepared().analyzers();
    List<Acc> all = new ArrayList<>();
    accs.forEach(all::add);
    Acc out = createAccumulator();
    for (int c = 0; c < columns.size(); c++) {
      for (int s = 0; s < out.steps[c].length; s++) {
        var analyzer = analyzers.get(c).get(s);
        if (analyzer != null) {
          List<Object> parts = new ArrayList<>();
          for (Acc a : all) {
            parts.add(a.steps[c][s]);
          }
          out.steps[c][s] = analyzer.mergeAccumulators(parts);
        }
      }
    }
    for (Acc a : all) {
      a.classes.forEach((k, v) -> out.classes.merge(k, v, Long::sum));
      for (int c = 0; c < columns.size(); c++) {
        widen(out, c, a.min[c], a.max[c]);
      }
    }
    return out;
  }

  @Override
  public String extractOutput(Acc acc) {
    var analyzers = prepared().analyzers();
    List<FeatureTransform.Chain> chains = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      ColumnPlan column = columns.get(c);
      List<FeatureTransform.Step> steps = new ArrayList<>();
      for (int s = 0; s < column.steps().size(); s++) {
        PlannedStep step = column.steps().get(s);
        var analyzer = analyzers.get(c).get(s);
        Map<String, Object> state = analyzer == null ? Map.of() : analyzer.extractOutput(acc.steps[c][s]);
        FeatureFactory factory = WorkerPlugins.registry().feature(step.id(), WorkerPlugins.where("feature step of column '" + column.column() + "'"));
        Map<String, Object> config = step.config().displayValues();
        steps.add(new FeatureTransform.Step(step.id(), config, factory.restore(step.input(), config, state)));
      }
      FeatureTransform.Range range = Double.isNaN(acc.min[c]) ? null : new FeatureTransform.Range(acc.min[c], acc.max[c]);
      chains.add(new FeatureTransform.Chain(column.column(), steps, range));
    }
    LabelSpec fittedLabel = label;
    if (fitClasses) {
      List<String> classes;
      if (schema.find(label.column()).orElseThrow().type() == dev.beamline.spi.data.ColumnType.NUMERIC) {
        // Numeric labels are class indices: the classes are 0..max.
        long max = acc.classes.keySet().stream().mapToLong(Long::parseLong).max().orElse(-1);
        classes = new ArrayList<>();
        for (long i = 0; i <= max; i++) {
          classes.add(String.valueOf(i));
        }
      } else {
        classes = new ArrayList<>(new TreeSet<>(acc.classes.keySet()));
      }
      fittedLabel = new LabelSpec(label.column(), new Task(label.task().type(), classes), label.positive());
    }
    return TransformJson.write(new FeatureTransform(schema, fittedLabel, weightColumn, chains));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Override
  public Coder<Acc> getAccumulatorCoder(CoderRegistry registry, Coder<RecordBlock> inputCoder) throws CannotProvideCoderException {
    return (Coder) AccumulatorCoder.of(Acc.class);
  }
}
