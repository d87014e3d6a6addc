package dev.beamline.spi.tracking;

import java.nio.file.Path;
import java.util.Map;

/** What a sink knows while delivering one event. */
public interface Delivery {
  /** The run directory; {@link TrackingEvent.ArtifactsLogged} paths are relative to it. */
  Path runDirectory();

  /**
   * The sink's state for this run and backend (e.g. the backend's run id), saved by the host after each
   * event and given back on a later sync. Keys and values are plain strings; never store credentials.
   * Keys starting with {@code display.} are shown to the user (e.g. {@code display.link}).
   */
  Map<String, String> state();

  /** True when an earlier attempt at this event may have reached the backend. */
  boolean maybeDelivered();
}
