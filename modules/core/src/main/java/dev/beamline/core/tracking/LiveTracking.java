package dev.beamline.core.tracking;

import dev.beamline.core.tracking.Journal.Entry;
import dev.beamline.spi.tracking.TrackingEvent;
import dev.beamline.spi.tracking.TrackingSink;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracking during a run: every event goes to the journal at once, and, when there is a target, a
 * background thread delivers the journal to it off the pipeline's critical path. When the target becomes
 * unreachable (or refuses an event) delivery stops and the rest stays in the journal for
 * {@code beamline tracking sync}.
 */
public final class LiveTracking implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveTracking.class);

  /**
   * Where a run's tracking stands when it ends.
   *
   * @param target the target (without credentials), or {@code null} when the run was journaled only
   * @param total entries in the journal
   * @param outcome the last delivery attempt, or {@code null} when there is no target
   * @param display what the sink asks to show (e.g. a link to the run)
   */
  public record Summary(String target, long total, JournalDelivery.Outcome outcome, Map<String, String> display) {}

  private final Path runDirectory;
  private final Journal journal;
  private final String tracker;
  private final Map<String, Object> trackerConfig;
  private final TrackingSink sink;
  private final SyncState state;
  private final ExecutorService worker;
  private final List<Entry> entries = new ArrayList<>();
  private volatile JournalDelivery.Outcome last;

  private LiveTracking(Path runDirectory, Journal journal, String tracker, Map<String, Object> trackerConfig, TrackingSink sink,
      SyncState state) {
    this.runDirectory = runDirectory;
    this.journal = journal;
    this.tracker = tracker;
    this.trackerConfig = trackerConfig;
    this.sink = sink;
    this.state = state;
    this.worker = sink == null ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "beamline-tracking");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Starts tracking a run.
   *
   * @param tracker the tracker's identifier, recorded in the journal for later syncs
   * @param trackerConfig its configuration as given (no secrets)
   * @param target where to deliver now, or {@code null} to journal only
   * @param sink the open sink for {@code target}, or {@code null}
   */
  public static LiveTracking start(Path runDirectory, String tracker, Map<String, Object> trackerConfig, URI target, TrackingSink sink)
      throws IOException {
    Journal journal = Journal.open(runDirectory);
    SyncState state = target == null ? null : SyncState.load(runDirectory, target);
    return new LiveTracking(runDirectory, journal, tracker, trackerConfig, target == null ? null : sink, state);
  }

  /** Journals an event and schedules its delivery. */
  public synchronized void emit(TrackingEvent event) throws IOException {
    boolean first = entries.isEmpty();
    Entry e = journal.append(event, first ? tracker : null, first ? trackerConfig : null);
    entries.add(e);
    if (worker != null) {
      List<Entry> snapshot = List.copyOf(entries);
      worker.execute(() -> deliver(snapshot));
    }
  }

  private void deliver(List<Entry> snapshot) {
    JournalDelivery.Outcome prior = last;
    if (prior != null && prior.problem() != null) {
      return; // stopped: the rest waits in the journal
    }
    try {
      last = JournalDelivery.deliver(snapshot, sink, state, runDirectory);
      if (last.problem() != null) {
        LOG.warn("tracking stopped: {}", last.problem());
      }
    } catch (IOException | RuntimeException e) {
      last = new JournalDelivery.Outcome(0, snapshot.size(), "cannot update the sync state: " + e.getMessage(), false);
    }
  }

  /** Waits (at most {@code timeout}) for the scheduled deliveries, closes the journal and the sink. */
  public Summary finish(Duration timeout) throws IOException, InterruptedException {
    long total;
    synchronized (this) {
      total = entries.size();
    }
    journal.close();
    if (worker == null) {
      return new Summary(null, total, null, Map.of());
    }
    worker.shutdown();
    JournalDelivery.Outcome outcome;
    if (!worker.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      worker.shutdownNow();
      worker.awaitTermination(5, TimeUnit.SECONDS);
      outcome = new JournalDelivery.Outcome(0, total - state.delivered(), "delivery did not finish within " + timeout.toSeconds() + " s", true);
    } else {
      JournalDelivery.Outcome l = last != null ? last : new JournalDelivery.Outcome(0, total, "nothing was delivered", true);
      // Deliveries scheduled after a failure were skipped: whatever the journal holds beyond the cursor is pending.
      outcome = new JournalDelivery.Outcome(l.delivered(), total - state.delivered(), l.problem(), l.unavailable());
    }
    sink.close();
    Map<String, String> display = state.display();
    return new Summary(state.target(), total, outcome, display);
  }

  @Override
  public void close() throws IOException {
    journal.close();
    if (worker != null) {
      worker.shutdownNow();
    }
  }
}
