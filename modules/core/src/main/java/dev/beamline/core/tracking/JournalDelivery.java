package dev.beamline.core.tracking;

import dev.beamline.core.tracking.Journal.Entry;
import dev.beamline.spi.tracking.Delivery;
import dev.beamline.spi.tracking.TrackingSink;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Delivers journal entries to a sink exactly once per target: entries up to {@link SyncState#delivered()}
 * are skipped; before each entry the state records it as in flight, after it as delivered. An entry found
 * in flight on a later attempt is delivered with {@code maybeDelivered} set, so that the sink checks the
 * backend before writing.
 */
public final class JournalDelivery {
  /**
   * What one delivery attempt did.
   *
   * @param delivered entries delivered in this attempt
   * @param pending entries left undelivered
   * @param problem why delivery stopped early, or {@code null}
   * @param unavailable whether it stopped because the backend was unreachable (a later sync can finish)
   */
  public record Outcome(int delivered, long pending, String problem, boolean unavailable) {}

  private JournalDelivery() {}

  /** Delivers the entries after the state's cursor, in order, until the end or the first failure. */
  public static Outcome deliver(List<Entry> entries, TrackingSink sink, SyncState state, Path runDirectory) throws IOException {
    int count = 0;
    for (Entry e : entries) {
      if (e.seq() <= state.delivered) {
        continue;
      }
      boolean maybe = state.inFlight == e.seq();
      state.inFlight = e.seq();
      state.save();
      try {
        sink.deliver(e.event(), new SinkDelivery(runDirectory, state.sink, maybe));
      } catch (TrackingUnavailableException ex) {
        state.save();
        return new Outcome(count, pendingAfter(entries, state.delivered), ex.getMessage(), true);
      } catch (RuntimeException ex) {
        state.save();
        return new Outcome(count, pendingAfter(entries, state.delivered),
            "entry " + e.seq() + " (" + e.event().type() + ") was refused: " + ex.getMessage(), false);
      }
      state.delivered = e.seq();
      state.inFlight = 0;
      state.save();
      count++;
    }
    return new Outcome(count, 0, null, false);
  }

  private static long pendingAfter(List<Entry> entries, long delivered) {
    return entries.stream().filter(x -> x.seq() > delivered).count();
  }

  private record SinkDelivery(Path runDirectory, Map<String, String> state, boolean maybeDelivered) implements Delivery {}
}
