package dev.beamline.spi.tracking;

/**
 * Delivers a run's events to one tracking backend. The host calls {@link #deliver} with the journal's
 * events in order, one at a time, from one thread, and records each event as delivered once the call
 * returns. If the process dies between the backend accepting an event and the host recording it, the
 * event is delivered again with {@link Delivery#maybeDelivered()} true: the sink must then make the second
 * delivery a no-op (look the data up first), so that replaying a journal never duplicates a run, a
 * parameter or a metric value.
 *
 * <p>Implementations retry transient failures themselves (with backoff and bounded time); when the
 * backend stays unreachable they throw {@link TrackingUnavailableException} and the host keeps the
 * remaining events in the journal for a later {@code beamline tracking sync}. Any other exception is a
 * permanent refusal of that event. Credentials never appear in messages or logs.
 */
public interface TrackingSink extends AutoCloseable {
  /**
   * Delivers one event.
   *
   * @throws TrackingUnavailableException when the backend could not be reached after the retries
   */
  void deliver(TrackingEvent event, Delivery delivery) throws TrackingUnavailableException;

  @Override
  default void close() {}
}
