package dev.beamline.serving;

import dev.beamline.scoring.RawRows;
import dev.beamline.scoring.Scorer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model being served, replaceable while requests run: a request scores with whichever model is
 * current when it starts; a replaced model is closed (its native memory freed) once the requests using
 * it have finished, and a request that meets a model closed under it retries with the new one, so a swap
 * fails no request.
 */
public final class ModelHolder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelHolder.class);

  /**
   * A loaded model and what identifies it.
   *
   * @param scorer the scorer (owned by the holder once given to it)
   * @param name the registered model's name, or the directory's name
   * @param version the registered version, {@code run} for a run's model, {@code local} for a directory
   * @param runId the MLflow run id, or empty
   * @param directory where its files are
   */
  public record Loaded(Scorer scorer, String name, String version, String runId, Path directory) {
    public Loaded {
      Objects.requireNonNull(scorer, "scorer");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(version, "version");
      runId = runId == null ? "" : runId;
      Objects.requireNonNull(directory, "directory");
    }
  }

  private final AtomicReference<Loaded> current;
  private final BiConsumer<Loaded, Loaded> onSwap;

  /** @param onSwap told (previous, next) after each swap and once (null, first) now */
  public ModelHolder(Loaded first, BiConsumer<Loaded, Loaded> onSwap) {
    this.current = new AtomicReference<>(Objects.requireNonNull(first, "first"));
    this.onSwap = onSwap;
    onSwap.accept(null, first);
  }

  /** The model being served. */
  public Loaded current() {
    return current.get();
  }

  /** Scores with the current model, retrying with a newer one if the model was closed under the call. */
  public ScoredWith score(RawRows rows) {
    while (true) {
      Loaded model = current.get();
      try {
        return new ScoredWith(model, model.scorer().score(rows));
      } catch (Scorer.ClosedException e) {
        if (current.get() == model) {
          throw e; // closed without a successor: the server is stopping
        }
      }
    }
  }

  /** A result and the model that made it. */
  public record ScoredWith(Loaded model, Scorer.Result result) {}

  /** Serves {@code next} from now on; the previous model is closed when its last request has finished. */
  public void swap(Loaded next) {
    Loaded previous = current.getAndSet(Objects.requireNonNull(next, "next"));
    onSwap.accept(previous, next);
    LOG.info("now serving {} version {} (was version {})", next.name(), next.version(), previous.version());
    Thread closer = new Thread(() -> previous.scorer().close(), "beamline-close-" + previous.version());
    closer.setDaemon(true);
    closer.start();
  }

  /** Closes the current model, after the requests in flight. */
  @Override
  public void close() {
    current.get().scorer().close();
  }
}
