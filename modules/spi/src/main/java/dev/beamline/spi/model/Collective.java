package dev.beamline.spi.model;

import java.io.Serializable;
import java.util.Map;
import java.util.Objects;

/**
 * How a trainer trains one model on several workers together, each holding its part of the rows (XGBoost's
 * collective: a tracker the workers meet at, then an allreduce between them). The host starts the tracker in the
 * launcher before the pipeline runs ({@link #startTracker}), partitions the training rows over the workers by row
 * id, runs every worker at once and hands each its {@link Member} ({@link Trainer#train(FeatureMatrix, FeatureMatrix,
 * Member)}); it keeps the model of rank 0.
 */
public interface Collective {
  /**
   * Starts a tracker for {@code workers} workers, listening on {@code host}:{@code port} (0: a free port), that lasts
   * until it is closed: it must outlive the slowest start of a worker.
   */
  Tracker startTracker(int workers, String host, int port) throws Exception;

  /** A running tracker. */
  interface Tracker extends AutoCloseable {
    /** Where the workers find it: {@code host:port}. */
    String address();

    /** What each worker needs to join (the tracker's address, in the trainer's own terms). */
    Map<String, String> workerArgs();

    /** Stops the tracker (after the workers finished, or when the run failed). */
    @Override
    void close();
  }

  /**
   * One worker's place in the group.
   *
   * @param rank this worker's rank, 0 to {@code workers - 1}: its partition of the rows
   * @param workers how many train together
   * @param tracker the tracker's {@link Tracker#workerArgs()}
   * @param address the tracker's {@link Tracker#address()}, for messages
   * @param timeoutSeconds how long a worker waits for the tracker or a peer before it fails
   */
  record Member(int rank, int workers, Map<String, String> tracker, String address, int timeoutSeconds) implements Serializable {
    private static final long serialVersionUID = 1L;

    public Member {
      tracker = Map.copyOf(Objects.requireNonNull(tracker, "tracker"));
      Objects.requireNonNull(address, "address");
      if (workers < 2 || rank < 0 || rank >= workers) {
        throw new IllegalArgumentException("rank " + rank + " of " + workers + " workers");
      }
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException("timeoutSeconds must be at least 1");
      }
    }
  }
}
