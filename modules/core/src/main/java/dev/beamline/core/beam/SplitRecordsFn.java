package dev.beamline.core.beam;

import dev.beamline.core.spec.PipelineSpec.SplitSpec;
import dev.beamline.features.LabelSpec;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.model.TaskType;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Checks each row's label and puts the row in a split: by input (train/validation/test sources), by a seeded
 * hash of the row id (random), by a column naming the split, or by a time column. Rows whose label (or split
 * column) is missing or unusable go to the dead-letter output. Stratified splits are {@link StratifiedSplit}.
 */
final class SplitRecordsFn extends DoFn<RecordBlock, RecordBlock> {
  private static final long serialVersionUID = 1L;

  static final TupleTag<RecordBlock> TRAIN = new TupleTag<>("train") {};
  static final TupleTag<RecordBlock> VALIDATION = new TupleTag<>("validation") {};
  static final TupleTag<RecordBlock> TEST = new TupleTag<>("test") {};
  static final TupleTag<Rejected> REJECTED = new TupleTag<>("rejected") {};
  static final TupleTag<RecordBlock> LABELED = new TupleTag<>("labeled") {};
  private static final List<TupleTag<RecordBlock>> TAGS = List.of(TRAIN, VALIDATION, TEST, LABELED);

  private final Schema schema;
  private final LabelSpec label;
  private final boolean labelFitted;
  private final SplitSpec split;
  private final long seed;
  private final List<String> sourceNames;
  private final Rejections rejections;
  private final boolean labelCheckOnly;
  /** Whether the validation split's rows train too (a search's k folds do the validation split's work). */
  private final boolean validationTrains;
  /** The label column's and the split column's positions in the schema (-1: none), found once, not per row. */
  private final int labelPosition;
  private final int splitPosition;
  /** A time split's boundaries as numbers, for a numeric time column (NaN otherwise), read once, not per row. */
  private final double testFrom;
  private final double validationFrom;
  /** Whether a fitted multiclass label is text (its classes named): then only a missing value is a problem. */
  private final boolean namedClasses;
  private final StageClock clock = new StageClock("split");
  private transient Counts counts;

  SplitRecordsFn(Schema schema, LabelSpec label, boolean labelFitted, SplitSpec split, long seed, List<String> sourceNames,
      Rejections rejections, boolean labelCheckOnly, boolean validationTrains) {
    this.schema = schema;
    this.label = label;
    this.labelFitted = labelFitted;
    this.split = split;
    this.seed = seed;
    this.sourceNames = sourceNames;
    this.rejections = rejections;
    this.labelCheckOnly = labelCheckOnly;
    this.validationTrains = validationTrains;
    this.labelPosition = label.column() == null ? -1 : position(label.column());
    this.splitPosition = split.column() == null ? -1 : position(split.column());
    this.testFrom = SplitSpec.number(split.testFrom());
    this.validationFrom = SplitSpec.number(split.validationFrom());
    this.namedClasses = labelFitted && label.task().type() == TaskType.MULTICLASS && labelPosition >= 0
        && schema.columns().get(labelPosition).type() == ColumnType.CATEGORICAL;
  }

  @StartBundle
  public void start() {
    clock.start();
    if (counts == null) {
      counts = new Counts();
    }
  }

  @FinishBundle
  public void finish() {
    counts.flush();
    clock.finish();
  }

  @ProcessElement
  public void process(@Element RecordBlock block, MultiOutputReceiver out) {
    // One output block per split (and one of labeled rows), each in the input's row order: the rows' columns are
    // copied from the input block (RecordBlock.select), not packed again from their records.
    Map<TupleTag<RecordBlock>, IntStream.Builder> outputs = new HashMap<>();
    for (int i = 0; i < block.size(); i++) {
      TupleTag<RecordBlock> tag = route(block, i, out);
      if (tag != null) {
        outputs.computeIfAbsent(tag, t -> IntStream.builder()).add(i);
      }
    }
    for (TupleTag<RecordBlock> tag : TAGS) {
      IntStream.Builder rows = outputs.get(tag);
      if (rows != null) {
        RecordBlock part = block.select(rows.build().toArray());
        out.get(tag).output(part);
        if (tag != LABELED) {
          counts.add(TrainingPipeline.splitCounter(tag == TRAIN ? Split.TRAIN : tag == VALIDATION ? Split.VALIDATION : Split.TEST),
              part.size());
        }
      }
    }
  }

  /**
   * The output row {@code i} of {@code block} goes to, or null when it was rejected (the dead letter is already out). The
   * row is read in place; only a rejected row's record is made.
   */
  private TupleTag<RecordBlock> route(RecordBlock block, int i, MultiOutputReceiver out) {
    long id = block.id(i);
    String problem = labelProblem(block, i);
    if (problem != null) {
      return reject(block, i, problem, out);
    }
    if (labelCheckOnly) {
      clock.count(1, 0, 0);
      return LABELED;
    }
    TupleTag<RecordBlock> tag;
    switch (split.type()) {
      case "inputs" -> {
        String source = sourceNames.get(RecordIds.source(id));
        tag = source.equals("test") ? TEST : source.equals("validation") ? VALIDATION : carve(id);
      }
      case "random" -> tag = SeededHash.unit(seed, 1, id) < split.testFraction() ? TEST : carve(id);
      case "column" -> {
        Object v = block.value(schema, i, splitPosition);
        String name = v == null ? "" : String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        switch (name) {
          case "train", "training" -> tag = carve(id);
          case "validation", "valid", "val" -> tag = VALIDATION;
          case "test", "testing" -> tag = TEST;
          default -> {
            return reject(block, i, "split column '" + split.column() + "'"
                + (v == null ? " is missing" : ": '" + v + "' is not train, validation or test"), out);
          }
        }
      }
      case "time" -> {
        int cmpTest = compareTime(block, i, split.testFrom(), testFrom);
        if (cmpTest == Integer.MIN_VALUE) {
          return reject(block, i, "split column '" + split.column() + "' is missing", out);
        }
        if (cmpTest >= 0) {
          tag = TEST;
        } else if (split.validationFrom() != null && compareTime(block, i, split.validationFrom(), validationFrom) >= 0) {
          tag = VALIDATION;
        } else {
          tag = TRAIN;
        }
      }
      default -> throw new IllegalStateException("split " + split.type() + " is handled by StratifiedSplit");
    }
    clock.count(1, 1, 0);
    return tag == VALIDATION && validationTrains ? TRAIN : tag;
  }

  /** Training rows, with {@code validationFraction} of them held out for validation. */
  private TupleTag<RecordBlock> carve(long id) {
    return split.validationFraction() > 0 && SeededHash.unit(seed, 2, id) < split.validationFraction() ? VALIDATION : TRAIN;
  }

  /** Sends row {@code i} to the dead letters with {@code reason} (its record is made only now); null: no output. */
  private TupleTag<RecordBlock> reject(RecordBlock block, int i, String reason, MultiOutputReceiver out) {
    out.get(REJECTED).output(rejections.of(schema, block.row(i), reason));
    clock.count(1, 0, 1);
    return null;
  }

  /** The position of a column the split reads; the plan has checked that it is there. */
  private int position(String name) {
    int position = schema.position(name);
    if (position < 0) {
      throw new IllegalArgumentException("no column '" + name + "' in schema " + schema.names());
    }
    return position;
  }

  /** The row's time compared with a boundary (a numeric column's as {@code number}); MIN_VALUE when missing. */
  private int compareTime(RecordBlock block, int i, String boundary, double number) {
    Object v = block.value(schema, i, splitPosition);
    if (v == null || (v instanceof Double d && d.isNaN())) {
      return Integer.MIN_VALUE;
    }
    if (v instanceof Double d) {
      return Double.compare(d, number);
    }
    return Integer.signum(String.valueOf(v).compareTo(boundary));
  }

  private String labelProblem(RecordBlock block, int i) {
    if (label.task().type() == TaskType.CLUSTERING) {
      return null; // clustering needs no label; a reference value a row lacks is just not compared
    }
    Object v = block.value(schema, i, labelPosition);
    if (namedClasses) {
      return v == null ? "label column '" + label.column() + "' is missing" : null;
    }
    if (labelFitted) {
      if (v instanceof Double d && (d.isNaN() || d < 0 || d != Math.rint(d))) {
        return d.isNaN() ? "label column '" + label.column() + "' is missing"
            : "label column '" + label.column() + "': " + d + " is not a class index";
      }
      return null;
    }
    return label.of(v).problem();
  }
}
