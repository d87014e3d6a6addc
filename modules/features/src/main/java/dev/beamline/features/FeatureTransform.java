package dev.beamline.features;

import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.UnreadableValueException;
import dev.beamline.spi.feature.ValueType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fitted feature transform: for each input column, its chain of fitted steps, and how the label is read.
 * Turns a {@link Record} into a dense feature vector ({@code NaN} = missing, which XGBoost treats as
 * missing). Plain Java, immutable and thread-safe; written to and read from {@code transform.json} by
 * {@link TransformJson}.
 */
public final class FeatureTransform implements Serializable {
  private static final long serialVersionUID = 1L;

  /** One fitted step as recorded: its type, configuration and the restored step. */
  public record Step(String type, Map<String, Object> config, FittedStep fitted) implements Serializable {
    public Step {
      Objects.requireNonNull(type, "type");
      config = Map.copyOf(config);
      Objects.requireNonNull(fitted, "fitted");
    }
  }

  /**
   * A column's fitted chain.
   *
   * @param column the input column
   * @param steps its fitted steps, in order
   * @param range the smallest and largest value of a numeric column in the training split, or {@code null}
   *     when not recorded (text and sparse columns, artifacts written before ranges were)
   */
  public record Chain(String column, List<Step> steps, Range range) implements Serializable {
    public Chain {
      Objects.requireNonNull(column, "column");
      steps = List.copyOf(steps);
    }

    /** A chain without a recorded range. */
    public Chain(String column, List<Step> steps) {
      this(column, steps, null);
    }
  }

  /** The values a numeric column took in the training split: {@code min <= max}. */
  public record Range(double min, double max) implements Serializable {
    /** Whether {@code v} (not NaN) lies outside the range. */
    public boolean outside(double v) {
      return v < min || v > max;
    }
  }

  /**
   * Told what in a row lies outside what the transform was fitted on, while the row is applied. Scoring
   * uses it to report (or reject) such rows; training passes none.
   */
  public interface Inspector {
    /** A numeric input outside its column's training range. */
    void outOfRange(String column, double value, Range range);

    /** A value a fitted step has not seen (a category outside the vocabulary), at step {@code stepType}. */
    void unseen(String column, Object value, String stepType);

    /** A value a step cannot read ({@link UnreadableValueException}); it is then applied as missing. */
    void unreadable(String column, String detail);
  }

  private final Schema schema;
  private final LabelSpec label;
  private final String weightColumn;
  private final List<Chain> chains;
  private final int[] positions;
  private final int[][] offsets;
  private final int[] valueOffsets;
  private final int width;
  private final List<String> featureNames;

  /**
   * @param schema the input schema
   * @param label how the label is read, or {@code null} when scoring unlabeled data only
   * @param weightColumn the sample weight column, or {@code null}
   * @param chains one chain per feature column, in output order
   */
  public FeatureTransform(Schema schema, LabelSpec label, String weightColumn, List<Chain> chains) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.label = label;
    this.weightColumn = weightColumn;
    this.chains = List.copyOf(chains);
    this.positions = new int[this.chains.size()];
    this.offsets = new int[this.chains.size()][];
    this.valueOffsets = new int[this.chains.size()];
    List<String> names = new ArrayList<>();
    int at = 0;
    for (int c = 0; c < this.chains.size(); c++) {
      Chain chain = this.chains.get(c);
      Column column = schema.find(chain.column()).orElseThrow(
          () -> new IllegalArgumentException("feature column '" + chain.column() + "' is not in the schema " + schema.names()));
      positions[c] = schema.position(chain.column());
      ValueType type = switch (column.type()) {
        case NUMERIC -> ValueType.NUMBER;
        case CATEGORICAL -> ValueType.TEXT;
        case SPARSE -> ValueType.SPARSE;
      };
      offsets[c] = new int[chain.steps().size()];
      for (int s = 0; s < chain.steps().size(); s++) {
        if (type == ValueType.ENCODED) {
          throw new IllegalArgumentException("column '" + chain.column() + "': step '" + chain.steps().get(s).type()
              + "' follows a step that already encoded the value; put encoders last");
        }
        FittedStep step = chain.steps().get(s).fitted();
        offsets[c][s] = at;
        at += step.width();
        names.addAll(step.featureNames(chain.column()));
        type = step.outputType();
      }
      valueOffsets[c] = at;
      switch (type) {
        case NUMBER -> {
          names.add(chain.column());
          at += 1;
        }
        case SPARSE -> {
          for (int i = 0; i < column.dimension(); i++) {
            names.add(chain.column() + "_" + i);
          }
          at += column.dimension();
        }
        case TEXT -> throw new IllegalArgumentException("column '" + chain.column()
            + "' is text and its steps leave it text; end its transforms with an encoder (vocabulary or hash)");
        case ENCODED -> { }
      }
    }
    this.width = at;
    this.featureNames = safeNames(names);
  }

  /**
   * Feature names XGBoost accepts everywhere (Python's DMatrix refuses '[', ']' and '<'), made unique:
   * the names a model's signature and Python's pyfunc see.
   */
  static List<String> safeNames(List<String> names) {
    List<String> out = new ArrayList<>(names.size());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String n : names) {
      String safe = n.replace("[", "(").replace("]", ")").replace("<", "lt");
      String unique = safe;
      for (int k = 2; !seen.add(unique); k++) {
        unique = safe + "~" + k;
      }
      out.add(unique);
    }
    return List.copyOf(out);
  }

  /** The input schema. */
  public Schema schema() {
    return schema;
  }

  /** How the label is read; {@code null} when none. */
  public LabelSpec label() {
    return label;
  }

  /** The weight column; {@code null} when none. */
  public String weightColumn() {
    return weightColumn;
  }

  /** The chains. */
  public List<Chain> chains() {
    return chains;
  }

  /** The number of features. */
  public int width() {
    return width;
  }

  /** The names of the features, {@link #width()} of them. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The features of a record, as a new array. */
  public float[] apply(Record record) {
    float[] out = new float[width];
    apply(record, out, 0);
    return out;
  }

  /** Writes the features of a record into {@code out} from {@code offset}. */
  public void apply(Record record, float[] out, int offset) {
    apply(record, out, offset, null);
  }

  /**
   * Writes the features of a record into {@code out} from {@code offset}, telling {@code inspector} (when
   * not null) about each value outside what was fitted. The features are the same with or without one.
   *
   * @throws UnreadableValueException without an inspector, when a step cannot read a value (its message names the
   *     column): the caller rejects the row; an inspector is told instead, and the value is applied as missing
   */
  public void apply(Record record, float[] out, int offset, Inspector inspector) {
    for (int c = 0; c < chains.size(); c++) {
      Object value = cell(record, positions[c]);
      Chain chain = chains.get(c);
      if (inspector != null && chain.range() != null && value instanceof Double d && !d.isNaN() && chain.range().outside(d)) {
        inspector.outOfRange(chain.column(), d, chain.range());
      }
      List<Step> steps = chain.steps();
      for (int s = 0; s < steps.size(); s++) {
        FittedStep step = steps.get(s).fitted();
        if (inspector != null && step.isUnseen(value)) {
          inspector.unseen(chain.column(), value, steps.get(s).type());
        }
        try {
          value = step.apply(value, out, offset + offsets[c][s]);
        } catch (UnreadableValueException e) {
          if (inspector == null) {
            throw new UnreadableValueException("column '" + chain.column() + "': " + e.getMessage(), e);
          }
          inspector.unreadable(chain.column(), e.getMessage());
          value = step.apply(value instanceof Double ? Double.NaN : null, out, offset + offsets[c][s]); // as missing
        }
      }
      int at = offset + valueOffsets[c];
      if (value instanceof Double d) {
        out[at] = (float) d.doubleValue();
      } else if (value instanceof SparseVector v) {
        int dim = schema.columns().get(positions[c]).dimension();
        Arrays.fill(out, at, at + dim, Float.NaN);
        int[] idx = v.indices();
        float[] val = v.values();
        for (int i = 0; i < idx.length; i++) {
          if (idx[i] < dim) {
            out[at + idx[i]] = val[i];
          }
        }
      }
    }
  }

  /** The sample weight of a record: 1 without a weight column; NaN when the weight is missing. */
  public double weight(Record record) {
    return weightColumn == null ? 1.0 : record.numbers()[schema.slot(weightColumn)];
  }

  private Object cell(Record record, int position) {
    Column column = schema.columns().get(position);
    int slot = schema.slotAt(position);
    return column.type() == ColumnType.NUMERIC ? (Object) record.numbers()[slot]
        : column.type() == ColumnType.CATEGORICAL ? record.texts()[slot] : record.sparse()[slot];
  }
}
