package dev.beamline.plugins.mlflow;

import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a call while the server is unreachable: refused connections, timeouts, 429 and 5xx answers.
 * Waits {@code initial}, then twice as long each time (at most 8 s), for {@code attempts} attempts in all;
 * then gives up with {@link TrackingUnavailableException}. Other failures (4xx answers) are not retried.
 */
final class Retry {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

  /** A failure worth retrying. */
  static final class Transient extends Exception {
    private static final long serialVersionUID = 1L;

    Transient(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A call that may fail transiently. */
  @FunctionalInterface
  interface Call<T> {
    T run() throws Transient;
  }

  /** Sleeps; replaceable in tests. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final int attempts;
  private final Duration initial;
  private final Sleeper sleeper;

  Retry(int attempts, Duration initial, Sleeper sleeper) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1");
    }
    this.attempts = attempts;
    this.initial = initial;
    this.sleeper = sleeper;
  }

  <T> T call(String what, Call<T> call) throws TrackingUnavailableException {
    long wait = initial.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (Transient e) {
        if (attempt >= attempts) {
          throw new TrackingUnavailableException(what + " failed " + attempts + " times, last: " + e.getMessage(), e);
        }
        LOG.warn("{}: {} (attempt {} of {}; retrying in {} ms)", what, e.getMessage(), attempt, attempts, wait);
        try {
          sleeper.sleep(wait);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new TrackingUnavailableException(what + ": interrupted while waiting to retry", ie);
        }
        wait = Math.min(8000, wait * 2);
      }
    }
  }
}
