package dev.beamline.spi.tracking;

/**
 * The tracking backend could not be reached (refused connections, 5xx answers, timeouts) even after the
 * sink's retries. The host stops delivering and keeps the undelivered events in the journal.
 */
public class TrackingUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public TrackingUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
