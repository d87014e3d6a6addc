package dev.beamline.core.beam;

import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import dev.beamline.spi.beam.RecordCoder;

/**
 * An exact stratified split: rows are grouped by label value; within each class they are ordered by a
 * seeded hash of their id and the first {@code round(n * testFraction)} go to test, then
 * {@code round(m * validationFraction)} of the rest to validation. Every class keeps the same proportions
 * and the result is the same on every runner. Each class's row ids are held in memory on one worker.
 */
final class StratifiedSplit extends PTransform<PCollection<RecordBlock>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private final String labelColumn;
  private final double testFraction;
  private final double validationFraction;
  private final long seed;

  StratifiedSplit(Schema schema, String labelColumn, double testFraction, double validationFraction, long seed) {
    this.schema = schema;
    this.labelColumn = labelColumn;
    this.testFraction = testFraction;
    this.validationFraction = validationFraction;
    this.seed = seed;
  }

  @Override
  public PCollectionTuple expand(PCollection<RecordBlock> blocks) {
    Schema s = schema;
    String column = labelColumn;
    return blocks
        .apply("ByClass", ParDo.of(new DoFn<RecordBlock, KV<String, Record>>() {
          private static final long serialVersionUID = 1L;

          @ProcessElement
          public void process(@Element RecordBlock b, OutputReceiver<KV<String, Record>> out) {
            for (Record r : b.rows()) {
              out.output(KV.of(String.valueOf(s.value(r, column)), r));
            }
          }
        })).setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of()))
        .apply("GroupClasses", GroupByKey.create())
        .apply("Assign", ParDo.of(new AssignFn(testFraction, validationFraction, seed))
            .withOutputTags(SplitRecordsFn.TRAIN, TupleTagList.of(SplitRecordsFn.VALIDATION).and(SplitRecordsFn.TEST)));
  }

  static final class AssignFn extends DoFn<KV<String, Iterable<Record>>, RecordBlock> {
    private static final long serialVersionUID = 1L;
    private final double testFraction;
    private final double validationFraction;
    private final long seed;

    AssignFn(double testFraction, double validationFraction, long seed) {
      this.testFraction = testFraction;
      this.validationFraction = validationFraction;
      this.seed = seed;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<Record>> group, MultiOutputReceiver out) {
      List<Record> rows = new ArrayList<>();
      group.getValue().forEach(rows::add);
      rows.sort(Comparator.comparingDouble((Record r) -> SeededHash.unit(seed, 1, r.id())).thenComparingLong(Record::id));
      int test = (int) Math.round(rows.size() * testFraction);
      int validation = (int) Math.round((rows.size() - test) * validationFraction);
      emit(rows.subList(0, test), out.get(SplitRecordsFn.TEST));
      emit(rows.subList(test, test + validation), out.get(SplitRecordsFn.VALIDATION));
      emit(rows.subList(test + validation, rows.size()), out.get(SplitRecordsFn.TRAIN));
      Counts counts = new Counts();
      counts.add(TrainingPipeline.splitCounter(Split.TEST), test);
      counts.add(TrainingPipeline.splitCounter(Split.VALIDATION), validation);
      counts.add(TrainingPipeline.splitCounter(Split.TRAIN), rows.size() - test - validation);
      counts.flush();
    }

    private static void emit(List<Record> rows, OutputReceiver<RecordBlock> out) {
      for (int from = 0; from < rows.size(); from += RecordBlock.ROWS) {
        out.output(new RecordBlock(new ArrayList<>(rows.subList(from, Math.min(rows.size(), from + RecordBlock.ROWS)))));
      }
    }
  }
}
