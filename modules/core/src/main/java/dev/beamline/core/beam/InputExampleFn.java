package dev.beamline.core.beam;

import dev.beamline.core.json.Json;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/**
 * The model's input example: the training rows with the smallest ids, as raw values of the columns the
 * features read (what a scoring request sends), in pandas' split orientation. The same rows on every
 * runner, whatever the partitioning.
 */
final class InputExampleFn extends Combine.CombineFn<RecordBlock, TreeMap<Long, Record>, String> {
  private static final long serialVersionUID = 1L;
  static final int ROWS = 5;

  private final Schema schema;
  private final List<String> columns;

  /** @param columns the raw columns the features read, in order */
  InputExampleFn(Schema schema, List<String> columns) {
    this.schema = schema;
    this.columns = List.copyOf(columns);
  }

  @Override
  public TreeMap<Long, Record> createAccumulator() {
    return new TreeMap<>();
  }

  @Override
  public TreeMap<Long, Record> addInput(TreeMap<Long, Record> acc, RecordBlock block) {
    for (int i = 0; i < block.size(); i++) { // a row's record is made only when it is among the smallest ids so far
      long id = block.id(i);
      if (acc.size() < ROWS || id < acc.lastKey()) {
        acc.put(id, block.row(i));
        if (acc.size() > ROWS) {
          acc.pollLastEntry();
        }
      }
    }
    return acc;
  }

  @Override
  public TreeMap<Long, Record> mergeAccumulators(Iterable<TreeMap<Long, Record>> accs) {
    TreeMap<Long, Record> out = new TreeMap<>();
    for (TreeMap<Long, Record> a : accs) {
      out.putAll(a);
      while (out.size() > ROWS) {
        out.pollLastEntry();
      }
    }
    return out;
  }

  @Override
  public String extractOutput(TreeMap<Long, Record> acc) {
    List<List<Object>> data = new ArrayList<>();
    for (Record r : acc.values()) {
      List<Object> row = new ArrayList<>();
      for (String c : columns) {
        row.add(raw(schema.value(r, c)));
      }
      data.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("columns", columns);
    out.put("data", data);
    return Json.pretty(out);
  }

  private static Object raw(Object value) {
    if (value instanceof Double d) {
      return d.isNaN() ? null : d;
    }
    if (value instanceof SparseVector v) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("indices", v.indices());
      m.put("values", v.values());
      return m;
    }
    return value;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  @Override
  public Coder<TreeMap<Long, Record>> getAccumulatorCoder(CoderRegistry registry, Coder<RecordBlock> inputCoder)
      throws CannotProvideCoderException {
    return (Coder) AccumulatorCoder.of(TreeMap.class);
  }
}
