/**
 * Tracking: the events of a run ({@link dev.beamline.spi.tracking.TrackingEvent}), journaled by the host
 * and delivered by a {@link dev.beamline.spi.tracking.TrackingSink} from a
 * {@link dev.beamline.spi.tracking.TrackerFactory}.
 */
package dev.beamline.spi.tracking;
