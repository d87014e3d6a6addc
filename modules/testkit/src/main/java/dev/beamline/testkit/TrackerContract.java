package dev.beamline.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.tracking.Delivery;
import dev.beamline.spi.tracking.TrackerFactory;
import dev.beamline.spi.tracking.TrackingEvent;
import dev.beamline.spi.tracking.TrackingSink;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every tracker must satisfy, beyond {@link PluginContract}: a backend that cannot be reached is
 * reported as {@link TrackingUnavailableException} (so the host keeps the events in the journal), in
 * bounded time, without a credential in the message. Trackers test delivery against their real backend in
 * integration tests.
 */
public abstract class TrackerContract extends PluginContract {
  /** The tracker under test; where it takes credentials, give it the secret {@code hunter2}, which no message may show. */
  protected abstract TrackerFactory tracker();

  /** Configuration that makes the tracker give up quickly (few attempts, short timeouts). */
  protected abstract Map<String, Object> fastFailConfig();

  /** A URI of the tracker's kind on a loopback port where nothing listens. */
  protected abstract URI unreachable(int closedPort);

  /** A loopback port where nothing listens (bound, then closed). */
  protected static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  public void anUnreachableBackendIsReportedAsUnavailableWithoutCredentials() throws Exception {
    TrackerFactory t = tracker();
    var config = t.configSpec().validate(t.id(), fastFailConfig());
    Map<String, String> state = new HashMap<>();
    Delivery delivery = new Delivery() {
      @Override
      public Path runDirectory() {
        return Path.of(".");
      }

      @Override
      public Map<String, String> state() {
        return state;
      }

      @Override
      public boolean maybeDelivered() {
        return false;
      }
    };
    try (TrackingSink sink = t.open(unreachable(closedPort()), config)) {
      TrackingUnavailableException e = assertThrows(TrackingUnavailableException.class,
          () -> sink.deliver(new TrackingEvent.RunStarted("uid", "exp", "run", Map.of(), 0L), delivery));
      assertFalse(String.valueOf(e.getMessage()).contains("hunter2"), e.getMessage());
      assertTrue(state.get("runId") == null, "no run id without a backend");
    }
  }
}
