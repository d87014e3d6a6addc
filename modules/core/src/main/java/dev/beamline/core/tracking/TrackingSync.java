package dev.beamline.core.tracking;

import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.tracking.Journal.Entry;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.tracking.TrackerFactory;
import dev.beamline.spi.tracking.TrackingEvent;
import dev.beamline.spi.tracking.TrackingSink;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code beamline tracking sync}: replays run journals to a tracking target. Each entry reaches the target
 * once however often a journal is synced (see {@link JournalDelivery}). A run whose process died before
 * it ended (no {@code run_ended} in the journal, its process gone) is ended as {@code KILLED}.
 */
public final class TrackingSync {
  /**
   * The result of syncing one run directory.
   *
   * @param delivered entries delivered now
   * @param total entries in the journal
   * @param outcome the delivery
   * @param endedKilled whether this sync ended an interrupted run as KILLED
   * @param display what the sink asks to show (e.g. a link)
   */
  public record Result(Path runDirectory, int delivered, long total, JournalDelivery.Outcome outcome, boolean endedKilled,
      Map<String, String> display) {}

  private final PluginRegistry registry;
  private final Clock clock;

  @Inject
  public TrackingSync(PluginRegistry registry, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Delivers what the run directory's journal holds and the target has not received yet. */
  public Result sync(Path runDirectory, URI target) throws IOException {
    if (!Files.isDirectory(runDirectory)) {
      throw new ConfigException(runDirectory + ": no such run directory");
    }
    List<Entry> entries = Journal.read(runDirectory);
    if (entries.isEmpty() || !(entries.get(0).event() instanceof TrackingEvent.RunStarted)) {
      throw new ConfigException(runDirectory.resolve(Journal.FILE) + ":1: the journal does not start with run_started");
    }
    Entry first = entries.get(0);
    boolean killed = false;
    if (!(entries.get(entries.size() - 1).event() instanceof TrackingEvent.RunEnded)) {
      if (Journal.hostName().equals(first.host()) && ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false)) {
        throw new ConfigException(runDirectory + ": the run is still in progress (PID " + first.pid()
            + "); it delivers its own events, or sync it once it has ended");
      }
      try (Journal journal = Journal.open(runDirectory)) {
        journal.append(new TrackingEvent.RunEnded("KILLED", clock.millis(),
            "the Beamline process (PID " + first.pid() + " on " + first.host() + ") ended before the run finished"), null, null);
      }
      entries = Journal.read(runDirectory);
      killed = true;
    }
    TrackerFactory factory = registry.tracker(first.tracker(), runDirectory.resolve(Journal.FILE) + ":1: tracker");
    StageConfig config = factory.configSpec().validate(runDirectory.resolve(Journal.FILE) + ":1: trackerConfig",
        first.trackerConfig() == null ? Map.of() : first.trackerConfig());
    SyncState state = SyncState.load(runDirectory, target);
    JournalDelivery.Outcome outcome;
    try (TrackingSink sink = factory.open(target, config)) {
      outcome = JournalDelivery.deliver(entries, sink, state, runDirectory);
    }
    Map<String, String> display = state.display();
    return new Result(runDirectory, outcome.delivered(), entries.size(), outcome, killed, display);
  }

  /** Resolves a model URI of the tracker to a local directory (downloaded into {@code cache} once). */
  public Path fetchModel(String tracker, URI target, String modelUri, Path cache) throws Exception {
    TrackerFactory factory = registry.tracker(tracker, "--tracker");
    return factory.fetchModel(target, factory.configSpec().validate("--tracker " + tracker, Map.of()), modelUri, cache);
  }
}
