package dev.beamline.scoring;

import dev.beamline.features.FeatureTransform;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Predictor;
import dev.beamline.spi.model.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * Scores raw rows with a model bundle: reads each row as the training source did, applies the fitted
 * transform (the same code as training) and the trainer's predictor, in batches. Rows with a
 * {@link Problem} are reported as {@link Issue}s and scored or rejected as the {@link ScoringPolicy} says;
 * none is dropped silently.
 *
 * <p>Thread-safe: any number of threads may score at once. {@link #close()} waits for the calls in
 * flight, then frees the predictor's native memory; later calls throw {@link ClosedException}.
 */
public final class Scorer implements AutoCloseable {
  /** The most rows scored in one call of the predictor. */
  static final int BATCH = 4096;

  private final Bundle bundle;
  private final FeatureTransform transform;
  private final Predictor predictor;
  private final RowDecoder decoder;
  private final ScoringPolicy policy;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** Scores with {@code predictor}, which this scorer owns and closes. */
  public Scorer(Bundle bundle, Predictor predictor, ScoringPolicy policy) {
    this.bundle = Objects.requireNonNull(bundle, "bundle");
    this.transform = bundle.transform();
    this.predictor = Objects.requireNonNull(predictor, "predictor");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.decoder = new RowDecoder(transform, CellRules.of(bundle.sourceSettings()), policy);
  }

  /**
   * Opens a scorer on a bundle with its trainer's predictor.
   *
   * @param trainers the trainer plugins by identifier (throwing, with a message naming the identifier, when absent)
   */
  public static Scorer open(Bundle bundle, ScoringPolicy policy, Function<String, TrainerFactory> trainers) throws Exception {
    TrainerFactory factory = trainers.apply(bundle.trainer());
    Task task = bundle.transform().label().task();
    Predictor predictor = factory.predictor(bundle.model(), task);
    return new Scorer(bundle, predictor, policy);
  }

  /** Thrown by a call on a closed scorer: its model was replaced or the host stops. */
  public static final class ClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ClosedException() {
      super("this scorer is closed (its model was replaced or the host stops)");
    }
  }

  /** What one call scored. */
  public record Result(float[][] predictions, List<Issue> issues) {
    /** How many rows were rejected (their prediction is {@code null}). */
    public long rejected() {
      return Arrays.stream(predictions).filter(Objects::isNull).count();
    }
  }

  /** The bundle. */
  public Bundle bundle() {
    return bundle;
  }

  /** The task: how many values a prediction has and what they mean. */
  public Task task() {
    return transform.label().task();
  }

  /** The columns a row must have (the feature columns), in schema order of first use. */
  public List<String> requiredColumns() {
    return decoder.required();
  }

  /** The policy. */
  public ScoringPolicy policy() {
    return policy;
  }

  /** Scores raw rows: one prediction per row, {@code null} for a rejected row. */
  public Result score(RawRows rows) {
    Schema schema = transform.schema();
    Map<String, Integer> given = new HashMap<>();
    for (int i = 0; i < rows.columns().size(); i++) {
      given.putIfAbsent(rows.columns().get(i), i);
    }
    int[] where = new int[schema.columns().size()];
    for (int p = 0; p < where.length; p++) {
      where[p] = given.getOrDefault(schema.columns().get(p).name(), -1);
    }
    List<Issue> issues = new ArrayList<>();
    Record[] records = new Record[rows.size()];
    for (int r = 0; r < records.length; r++) {
      records[r] = decoder.decode(rows, r, where, issues);
    }
    return scoreDecoded(records, issues);
  }

  /**
   * Scores one row of missing values and forgets the result, so that what the predictor builds on its first
   * call (the trees of the Java evaluator) is built now, by the caller that loads the model, rather than by
   * the first request.
   */
  public void warmUp() {
    Schema schema = transform.schema();
    double[] numbers = new double[schema.numericCount()];
    Arrays.fill(numbers, Double.NaN);
    score(List.of(new Record(0, numbers, new String[schema.textCount()], new dev.beamline.spi.data.SparseVector[schema.sparseCount()])));
  }

  /**
   * Scores rows a source read already (typed by the model's schema); only unseen categories and numbers
   * out of range can be wrong with them. Row indices in issues are positions in {@code records}.
   */
  public Result score(List<Record> records) {
    return scoreDecoded(records.toArray(Record[]::new), new ArrayList<>());
  }

  private Result scoreDecoded(Record[] records, List<Issue> issues) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new ClosedException();
      }
      float[][] out = new float[records.length][];
      for (int from = 0; from < records.length; from += BATCH) {
        scoreBatch(records, from, Math.min(records.length, from + BATCH), out, issues);
      }
      issues.sort(java.util.Comparator.comparingInt(Issue::row));
      return new Result(out, issues);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Applies the transform to rows [from, to) that are not rejected yet, then predicts those that pass the checks. */
  private void scoreBatch(Record[] records, int from, int to, float[][] out, List<Issue> issues) {
    int width = transform.width();
    float[] values = new float[(to - from) * width];
    int[] rowOf = new int[to - from];
    int n = 0;
    for (int r = from; r < to; r++) {
      if (records[r] == null) {
        continue;
      }
      RowChecks checks = new RowChecks(policy, r, issues);
      transform.apply(records[r], values, n * width, checks);
      if (!checks.rejected()) {
        rowOf[n++] = r;
      }
    }
    if (n == 0) {
      return;
    }
    float[] dense = n * width == values.length ? values : Arrays.copyOf(values, n * width);
    float[] labels = new float[n];
    Arrays.fill(labels, Float.NaN);
    float[][] predicted = predictor.predict(new FeatureMatrix(n, width, transform.featureNames(), null, null, dense, labels, null));
    for (int i = 0; i < n; i++) {
      out[rowOf[i]] = predicted[i];
    }
  }

  /** Waits for the calls in flight, then frees the predictor. Idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        predictor.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
