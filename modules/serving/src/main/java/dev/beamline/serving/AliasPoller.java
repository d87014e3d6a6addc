package dev.beamline.serving;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the registry where a {@code models:/NAME@ALIAS} points every so often, and swaps a new version in
 * when the alias moves. A failed lookup or load keeps the current model and is tried again next time.
 */
final class AliasPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AliasPoller.class);
  private final ModelLoader loader;
  private final ModelHolder holder;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "beamline-alias-poller");
    t.setDaemon(true);
    return t;
  });

  AliasPoller(ModelLoader loader, ModelHolder holder, Duration every) {
    this.loader = loader;
    this.holder = holder;
    long ms = Math.max(100, every.toMillis());
    timer.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One look at the alias; swaps when it names another version. */
  void poll() {
    try {
      Path now = loader.resolve();
      if (!now.equals(holder.current().directory())) {
        holder.swap(loader.load(now));
      }
    } catch (Exception | Error e) {
      LOG.warn("{}: could not look up or load the alias's version ({}); still serving version {}", loader.location(), e.toString(),
          holder.current().version());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
