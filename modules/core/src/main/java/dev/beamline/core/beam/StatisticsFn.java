package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.statistics.DatasetStatistics;
import dev.beamline.statistics.StatisticsOptions;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * One split's data statistics in one pass over its rows ({@link DatasetStatistics}); the output is the
 * summary as compact JSON. The summary does not depend on how the runner partitions and merges.
 */
final class StatisticsFn extends Combine.CombineFn<RecordBlock, DatasetStatistics, String> {
  private static final long serialVersionUID = 1L;
  private final Schema schema;
  private final StatisticsOptions options;

  StatisticsFn(Schema schema, StatisticsOptions options) {
    this.schema = schema;
    this.options = options;
  }

  @Override
  public DatasetStatistics createAccumulator() {
    return new DatasetStatistics(schema, options);
  }

  @Override
  public DatasetStatistics addInput(DatasetStatistics acc, RecordBlock block) {
    for (Record r : block.rows()) {
      acc.add(r);
    }
    return acc;
  }

  @Override
  public DatasetStatistics mergeAccumulators(Iterable<DatasetStatistics> accs) {
    DatasetStatistics out = createAccumulator();
    for (DatasetStatistics a : accs) {
      out.merge(a);
    }
    return out;
  }

  @Override
  public String extractOutput(DatasetStatistics acc) {
    return Json.compact(acc.summary());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Override
  public Coder<DatasetStatistics> getAccumulatorCoder(CoderRegistry registry, Coder<RecordBlock> inputCoder)
      throws CannotProvideCoderException {
    return (Coder) AccumulatorCoder.of(DatasetStatistics.class);
  }
}
