package dev.beamline.plugins.features;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import dev.beamline.features.SketchBytes;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.Combine;

/**
 * Approximate quantiles with a DDSketch (relative accuracy {@code alpha}: a returned quantile is within
 * {@code alpha * |value|} of a true one). A DDSketch only adds counts into fixed buckets, so merging is
 * order-independent and every runner fits the same quantiles.
 */
final class Quantiles extends Combine.CombineFn<Object, Quantiles.Acc, Map<String, Object>> {
  private static final long serialVersionUID = 1L;

  private final double alpha;
  private final Function<Acc, Map<String, Object>> output;

  /** @param output turns the filled sketch into the fitted state */
  Quantiles(double alpha, SerializableOutput output) {
    this.alpha = alpha;
    this.output = output;
  }

  interface SerializableOutput extends Function<Acc, Map<String, Object>>, Serializable {}

  static final class Acc implements Serializable {
    private static final long serialVersionUID = 1L;
    final double alpha;
    transient DDSketch sketch;
    long missing;

    Acc(double alpha) {
      this.alpha = alpha;
      this.sketch = DDSketches.unboundedDense(alpha);
    }

    long count() {
      return Math.round(sketch.getCount());
    }

    /** Quantiles at the given ranks, strictly increasing (repeats dropped). */
    double[] distinctQuantiles(double[] ranks) {
      List<Double> out = new ArrayList<>();
      if (sketch.isEmpty()) {
        return new double[0];
      }
      for (double r : ranks) {
        double q = sketch.getValueAtQuantile(r);
        if (out.isEmpty() || q > out.get(out.size() - 1)) {
          out.add(q);
        }
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      out.defaultWriteObject();
      SketchBytes.write(sketch, out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      sketch = SketchBytes.read(in, alpha);
    }
  }

  @Override
  public Acc createAccumulator() {
    return new Acc(alpha);
  }

  @Override
  public Acc addInput(Acc acc, Object input) {
    double x = input == null ? Double.NaN : ((Number) input).doubleValue();
    if (Double.isNaN(x) || Double.isInfinite(x)) {
      acc.missing++;
    } else {
      acc.sketch.accept(x);
    }
    return acc;
  }

  @Override
  public Acc mergeAccumulators(Iterable<Acc> accs) {
    Acc out = new Acc(alpha);
    for (Acc a : accs) {
      out.sketch.mergeWith(a.sketch);
      out.missing += a.missing;
    }
    return out;
  }

  @Override
  public Map<String, Object> extractOutput(Acc acc) {
    return output.apply(acc);
  }
}
