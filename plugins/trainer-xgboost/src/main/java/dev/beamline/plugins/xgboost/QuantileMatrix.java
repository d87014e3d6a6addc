package dev.beamline.plugins.xgboost;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.TrainingRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;

/**
 * XGBoost's quantile matrix (Python's {@code xgboost.QuantileDMatrix}) built from dense {@link TrainingRows} part by
 * part, for training with {@code tree_method: hist}.
 *
 * <p>XGBoost4J builds a dense matrix with {@code XGDMatrixCreateFromMat}, which copies every value into a
 * sparse page (8 bytes per entry) on one thread; training then cuts each feature into bins and builds its
 * binned index (1 byte per entry) from that page. The quantile matrix goes from the dense rows straight to
 * the cuts and the binned index on all threads, so the sparse page never exists: at 1M rows x 113 features
 * 860 MB less native memory and several seconds less. XGBoost4J has no CPU binding of it (its Java
 * {@code QuantileDMatrix} is GPU-only), so this class calls the C API in the very library XGBoost4J has
 * loaded, through JNA: a proxy matrix is given the rows batch by batch from one reused native buffer, filled from
 * the rows' parts as they come (so the rows never need to be one Java array; a batch always holds {@link #BATCH_ROWS}
 * rows but the last, whatever the parts' sizes, so the same rows give the same matrix however they are parted).
 * The trees grown on it are the same as on the plain matrix (the unit tests compare the models byte for byte),
 * and a validation set binned at the training matrix's cuts is evaluated the same.
 *
 * <p>Where the library cannot be reached this way (not Linux, or the library file is gone), {@link #available()}
 * is false and the caller builds the plain matrix instead.
 */
final class QuantileMatrix {
  private QuantileMatrix() {}

  /** Rows handed to XGBoost per batch: about 64 MB of floats at 100 features. */
  static final int BATCH_ROWS = 1 << 17;

  /** The part of XGBoost's C API this class uses (c_api.h). */
  interface CApi extends Library {
    String XGBGetLastError();

    int XGProxyDMatrixCreate(PointerByReference out);

    int XGProxyDMatrixSetDataDense(Pointer proxy, String arrayInterface);

    int XGDMatrixSetInfoFromInterface(Pointer handle, String field, String arrayInterface);

    int XGQuantileDMatrixCreateFromCallback(Pointer iter, Pointer proxy, Pointer ref, Reset reset, Next next,
        String config, PointerByReference out);

    int XGDMatrixFree(Pointer handle);
  }

  /** {@code DataIterResetCallback}. */
  interface Reset extends Callback {
    void invoke(Pointer iter);
  }

  /** {@code XGDMatrixCallbackNext}: 1 when the proxy holds another batch, 0 at the end. */
  interface Next extends Callback {
    int invoke(Pointer iter);
  }

  private static final class Holder {
    static final Optional<CApi> API = load();
  }

  /** Whether the quantile matrix can be built in this process. */
  static boolean available() {
    return Holder.API.isPresent();
  }

  /**
   * The loaded XGBoost library, through JNA: the file XGBoost4J extracted and loaded, found in the process's
   * memory map, opened again (the dynamic loader hands back the same library, so handles pass between the two).
   */
  private static Optional<CApi> load() {
    try {
      XGBoostJNI.XGBGetLastError(); // makes XGBoost4J load its library first
      Path maps = Path.of("/proc/self/maps");
      if (!Files.isReadable(maps)) {
        return Optional.empty();
      }
      Optional<String> path;
      try (Stream<String> lines = Files.lines(maps)) {
        path = lines.map(l -> l.indexOf('/') < 0 ? "" : l.substring(l.indexOf('/')))
            .filter(p -> p.contains("libxgboost4j") && Files.isRegularFile(Path.of(p))).findFirst();
      }
      return path.map(p -> Native.load(p, CApi.class));
    } catch (IOException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  /**
   * The quantile matrix of {@code m}'s rows, labels and weights.
   *
   * @param m dense rows
   * @param maxBin the booster's {@code max_bin}: the matrix's cuts must be the trainer's
   * @param nthread threads (0 = all)
   */
  static DMatrix of(TrainingRows m, int maxBin, int nthread) throws XGBoostError {
    return of(m, maxBin, nthread, BATCH_ROWS, null);
  }

  /**
   * The quantile matrix of rows to evaluate on, binned at the cuts of {@code reference} (the training matrix),
   * as XGBoost wants for a validation set: its metrics are those of the plain matrix (the unit tests compare them).
   */
  static DMatrix of(TrainingRows m, DMatrix reference, int maxBin, int nthread) throws XGBoostError {
    return of(m, maxBin, nthread, BATCH_ROWS, reference);
  }

  /** The quantile matrix, handed to XGBoost {@code batchRows} rows at a time, cut like {@code reference} if there is one. */
  static DMatrix of(TrainingRows m, int maxBin, int nthread, int batchRows, DMatrix reference) throws XGBoostError {
    if (m.isSparse()) {
      throw new IllegalArgumentException("the quantile matrix is built from dense rows");
    }
    CApi api = Holder.API.orElseThrow(() -> new IllegalStateException("XGBoost's C API is not reachable here"));
    PointerByReference proxyRef = new PointerByReference();
    check(api, api.XGProxyDMatrixCreate(proxyRef));
    Pointer proxy = proxyRef.getValue();
    try (Batches batches = new Batches(api, proxy, m, batchRows)) {
      PointerByReference out = new PointerByReference();
      String config = "{\"missing\": NaN, \"nthread\": " + nthread + ", \"max_bin\": " + maxBin + "}";
      Pointer ref = reference == null ? null : new Pointer(reference.getHandle());
      int rc = api.XGQuantileDMatrixCreateFromCallback(null, proxy, ref, batches.reset, batches.next, config, out);
      batches.rethrow();
      check(api, rc);
      return new Handle(Pointer.nativeValue(out.getValue()));
    } finally {
      api.XGDMatrixFree(proxy);
    }
  }

  private static void check(CApi api, int rc) throws XGBoostError {
    if (rc != 0) {
      throw new XGBoostError(api.XGBGetLastError());
    }
  }

  /** A matrix XGBoost4J frees like its own. */
  private static final class Handle extends DMatrix {
    Handle(long handle) {
      super(handle);
    }
  }

  /**
   * The iterator XGBoost pulls batches from, in several passes over the rows (with XGBoost 3.4.0 four: a short first
   * one, one for the cuts, one for the binned index, a short last one). Each batch is
   * copied from the rows' parts into the same native buffers and set on the proxy with its labels and weights.
   */
  private static final class Batches implements AutoCloseable {
    private final CApi api;
    private final Pointer proxy;
    private final TrainingRows m;
    private final int batchRows;
    private final Memory values;
    private final Memory labels;
    private final Memory weights;
    /** The pass's parts (null before its first batch), the part being read and the next row of it to copy. */
    private Iterator<FeatureMatrix> parts;
    private FeatureMatrix part;
    private int inPart;
    /** Rows given in this pass. */
    private long given;
    /** Whether the one empty batch of a matrix without rows was given (see {@link #nextBatch}). */
    private boolean emptyGiven;
    private Throwable failure;
    final Reset reset = iter -> {
      this.parts = null;
      this.part = null;
      this.given = 0;
      this.emptyGiven = false;
    };
    final Next next = this::nextBatch;

    Batches(CApi api, Pointer proxy, TrainingRows m, int batchRows) {
      this.api = api;
      this.proxy = proxy;
      this.m = m;
      this.batchRows = Math.max(1, Math.min(batchRows, m.rows()));
      this.values = new Memory((long) this.batchRows * Math.max(1, m.columns()) * Float.BYTES);
      this.labels = new Memory((long) this.batchRows * Float.BYTES);
      this.weights = m.weighted() ? new Memory((long) this.batchRows * Float.BYTES) : null;
    }

    /**
     * Sets the next batch on the proxy. A matrix without rows still gives one empty batch: a worker whose share of a
     * split is empty must take part in the group's sketch exchange like the others, and XGBoost makes a matrix of
     * no batches without exchanging anything (the others then find their peer gone).
     */
    private int nextBatch(Pointer iter) {
      if (failure != null) {
        return 0;
      }
      try {
        if (m.rows() == 0) {
          if (emptyGiven) {
            return 0;
          }
          emptyGiven = true;
          setOnProxy(0);
          return 1;
        }
        int rows = fill();
        if (rows == 0) {
          return 0;
        }
        setOnProxy(rows);
        return 1;
      } catch (Throwable e) { // nothing may escape into native code: kept, and rethrown when XGBoost returns
        failure = e;
        return 0;
      }
    }

    /** Copies up to a batch of rows from the parts into the native buffers; the number copied (0 at the end). */
    private int fill() {
      if (parts == null) {
        parts = m.parts();
      }
      int filled = 0;
      while (filled < batchRows) {
        if (part == null || inPart == part.rows()) {
          if (!parts.hasNext()) {
            break;
          }
          part = checked(parts.next());
          inPart = 0;
          continue;
        }
        int rows = Math.min(batchRows - filled, part.rows() - inPart);
        int width = m.columns();
        values.write((long) filled * width * Float.BYTES, part.values(), inPart * width, rows * width);
        labels.write((long) filled * Float.BYTES, part.labels(), inPart, rows);
        if (weights != null) {
          weights.write((long) filled * Float.BYTES, part.weights(), inPart, rows);
        }
        inPart += rows;
        filled += rows;
      }
      given += filled;
      if (given > m.rows() || (filled == 0 && given != m.rows())) {
        throw new IllegalStateException("the training rows' parts hold " + given + " rows, but the rows say " + m.rows());
      }
      return filled;
    }

    /** A part, checked against what the rows say of themselves. */
    private FeatureMatrix checked(FeatureMatrix p) {
      if (p.isSparse() || p.columns() != m.columns() || (weights != null && p.weights() == null)) {
        throw new IllegalStateException("a part of the training rows is " + (p.isSparse() ? "sparse" : "dense") + " with "
            + p.columns() + " features" + (p.weights() == null ? "" : " and weights") + "; the rows say dense with "
            + m.columns() + (weights == null ? "" : " and weights"));
      }
      return p;
    }

    /** Hands the first {@code rows} rows of the native buffers to the proxy. */
    private void setOnProxy(int rows) throws XGBoostError {
      check(api, api.XGProxyDMatrixSetDataDense(proxy, arrayInterface(values, rows, m.columns())));
      check(api, api.XGDMatrixSetInfoFromInterface(proxy, "label", arrayInterface(labels, rows)));
      if (weights != null) {
        check(api, api.XGDMatrixSetInfoFromInterface(proxy, "weight", arrayInterface(weights, rows)));
      }
    }

    void rethrow() throws XGBoostError {
      if (failure instanceof XGBoostError e) {
        throw e;
      }
      if (failure != null) {
        throw new IllegalStateException("building the quantile matrix failed: " + failure.getMessage(), failure);
      }
    }

    @Override
    public void close() {
      values.close();
      labels.close();
      if (weights != null) {
        weights.close();
      }
    }
  }

  /** NumPy's array interface of little-endian floats at {@code data}: a matrix, or a vector without {@code columns}. */
  static String arrayInterface(Pointer data, int rows, int... columns) {
    String shape = columns.length == 0 ? "[" + rows + "]" : "[" + rows + ", " + columns[0] + "]";
    return "{\"data\": [" + Pointer.nativeValue(data) + ", true], \"shape\": " + shape
        + ", \"strides\": null, \"typestr\": \"<f4\", \"version\": 3}";
  }
}
