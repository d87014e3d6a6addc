package dev.beamline.core.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.tracking.Delivery;
import dev.beamline.spi.tracking.TrackingEvent;
import dev.beamline.spi.tracking.TrackingSink;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalDeliveryTest {
  private static final URI TARGET = URI.create("http://user:secret@127.0.0.1:5000");

  /** A backend that records what reached it, and can be down or die after accepting an event. */
  static final class Backend implements TrackingSink {
    final List<String> received = new ArrayList<>();
    final List<Boolean> maybe = new ArrayList<>();
    boolean down;
    int crashAfterAccepting = -1;

    @Override
    public void deliver(TrackingEvent event, Delivery delivery) throws TrackingUnavailableException {
      if (down) {
        throw new TrackingUnavailableException("connection refused", null);
      }
      maybe.add(delivery.maybeDelivered());
      String id = describe(event);
      if (delivery.maybeDelivered() && received.contains(id)) {
        return; // a sink looks the data up before writing it again
      }
      received.add(id);
      delivery.state().put("runId", "r1");
      if (received.size() == crashAfterAccepting) {
        throw new IllegalStateException("simulated crash after the backend accepted the event");
      }
    }
  }

  static String describe(TrackingEvent e) {
    return e.type() + (e instanceof TrackingEvent.ParamsLogged p ? p.params().keySet() : "");
  }

  private static List<TrackingEvent> events() {
    return List.of(new TrackingEvent.RunStarted("uid1", "exp", "run", Map.of("k", "v"), 1L),
        new TrackingEvent.ParamsLogged(Map.of("a", "1")),
        new TrackingEvent.MetricsLogged(List.of(new TrackingEvent.MetricPoint("test_auc", 0.9, 0, 2L))),
        new TrackingEvent.RunEnded("FINISHED", 3L, null));
  }

  private static void write(Path dir, List<TrackingEvent> events) throws Exception {
    try (Journal j = Journal.open(dir)) {
      boolean first = true;
      for (TrackingEvent e : events) {
        j.append(e, first ? "fake" : null, first ? Map.of("x", 1) : null);
        first = false;
      }
    }
  }

  @Test
  void journalRoundTripsEveryEventKind(@TempDir Path dir) throws Exception {
    List<TrackingEvent> all = new ArrayList<>(events());
    all.add(new TrackingEvent.InputsLogged(List.of(new TrackingEvent.DatasetInput("train:a.csv", "abc", "file:/a.csv", "train", "{}", null))));
    all.add(new TrackingEvent.ArtifactsLogged(List.of("model/MLmodel", "run.json")));
    all.add(new TrackingEvent.ModelRegistered("m", "model", List.of("challenger"), Map.of("test_auc", "0.9")));
    write(dir, all);
    List<Journal.Entry> read = Journal.read(dir);
    assertEquals(all, read.stream().map(Journal.Entry::event).toList());
    assertEquals("fake", read.get(0).tracker());
    assertEquals(Map.of("x", 1), read.get(0).trackerConfig());
    assertEquals(ProcessHandle.current().pid(), read.get(0).pid());
    assertNull(read.get(1).tracker());
  }

  @Test
  void tornLastLineIsIgnoredButDamageElsewhereIsNamed(@TempDir Path dir) throws Exception {
    write(dir, events());
    Path file = dir.resolve(Journal.FILE);
    Files.writeString(file, Files.readString(file) + "{\"seq\":5,\"type\":\"par");
    assertEquals(4, Journal.read(dir).size());
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(1, "garbage");
    Files.write(file, lines);
    ConfigException e = assertThrows(ConfigException.class, () -> Journal.read(dir));
    assertTrue(e.getMessage().contains("journal.jsonl:2:"), e.getMessage());
  }

  @Test
  void eachEventIsDeliveredOnceHoweverOftenTheJournalIsSynced(@TempDir Path dir) throws Exception {
    write(dir, events());
    Backend backend = new Backend();
    for (int i = 0; i < 3; i++) {
      JournalDelivery.Outcome o = JournalDelivery.deliver(Journal.read(dir), backend, SyncState.load(dir, TARGET), dir);
      assertNull(o.problem());
      assertEquals(i == 0 ? 4 : 0, o.delivered());
    }
    assertEquals(List.of("run_started", "params[a]", "metrics", "run_ended"), backend.received);
    assertEquals("r1", SyncState.load(dir, TARGET).sinkState().get("runId"));
    // The state file names the target without its credentials.
    String stateText = Files.readString(Files.list(dir.resolve("tracking")).filter(p -> p.getFileName().toString().startsWith("sync-"))
        .findFirst().orElseThrow());
    assertFalse(stateText.contains("secret"), stateText);
  }

  @Test
  void anUnreachableBackendStopsDeliveryAndALaterSyncResumesWhereItStopped(@TempDir Path dir) throws Exception {
    write(dir, events());
    Backend backend = new Backend();
    List<Journal.Entry> entries = Journal.read(dir);
    JournalDelivery.Outcome first = JournalDelivery.deliver(entries.subList(0, 2), backend, SyncState.load(dir, TARGET), dir);
    assertEquals(2, first.delivered());
    backend.down = true;
    JournalDelivery.Outcome down = JournalDelivery.deliver(entries, backend, SyncState.load(dir, TARGET), dir);
    assertTrue(down.unavailable());
    assertEquals(2, down.pending());
    backend.down = false;
    JournalDelivery.Outcome resumed = JournalDelivery.deliver(entries, backend, SyncState.load(dir, TARGET), dir);
    assertEquals(2, resumed.delivered());
    assertEquals(List.of("run_started", "params[a]", "metrics", "run_ended"), backend.received);
    // The event that failed on a refused connection is retried as possibly delivered.
    assertTrue(backend.maybe.get(2));
  }

  @Test
  void anEventAcceptedJustBeforeACrashIsNotDuplicated(@TempDir Path dir) throws Exception {
    write(dir, events());
    Backend backend = new Backend();
    backend.crashAfterAccepting = 2; // the params reach the backend, then the process "dies"
    JournalDelivery.Outcome o = JournalDelivery.deliver(Journal.read(dir), backend, SyncState.load(dir, TARGET), dir);
    assertEquals(1, o.delivered());
    assertFalse(o.unavailable());
    backend.crashAfterAccepting = -1;
    JournalDelivery.deliver(Journal.read(dir), backend, SyncState.load(dir, TARGET), dir);
    assertEquals(List.of("run_started", "params[a]", "metrics", "run_ended"), backend.received);
    assertTrue(backend.maybe.get(2), "the second attempt at the params knows it may have been delivered");
    assertFalse(backend.maybe.get(3));
  }

  @Test
  void liveTrackingJournalsEverythingAndDeliversInTheBackground(@TempDir Path dir) throws Exception {
    Backend backend = new Backend();
    LiveTracking live = LiveTracking.start(dir, "fake", Map.of(), TARGET, backend);
    for (TrackingEvent e : events()) {
      live.emit(e);
    }
    LiveTracking.Summary s = live.finish(Duration.ofSeconds(10));
    assertNull(s.outcome().problem());
    assertEquals(4, s.total());
    assertEquals("http://127.0.0.1:5000", s.target());
    assertEquals(4, backend.received.size());
    assertEquals(4, Journal.read(dir).size());
  }

  @Test
  void liveTrackingStopsAtAnOutageAndKeepsTheRestInTheJournal(@TempDir Path dir) throws Exception {
    Backend backend = new Backend();
    backend.down = true;
    LiveTracking live = LiveTracking.start(dir, "fake", Map.of(), TARGET, backend);
    for (TrackingEvent e : events()) {
      live.emit(e);
    }
    LiveTracking.Summary s = live.finish(Duration.ofSeconds(10));
    assertTrue(s.outcome().unavailable());
    assertEquals(4, s.outcome().pending());
    assertEquals(4, Journal.read(dir).size());
    assertEquals(0, SyncState.load(dir, TARGET).delivered());
  }

  @Test
  void withoutATargetTheRunIsOnlyJournaled(@TempDir Path dir) throws Exception {
    LiveTracking live = LiveTracking.start(dir, "fake", Map.of(), null, null);
    live.emit(events().get(0));
    LiveTracking.Summary s = live.finish(Duration.ofSeconds(1));
    assertNull(s.target());
    assertInstanceOf(TrackingEvent.RunStarted.class, Journal.read(dir).get(0).event());
  }
}
