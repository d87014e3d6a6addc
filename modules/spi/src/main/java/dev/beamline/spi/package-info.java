/**
 * Beamline's plugin SPI. A plugin is a {@link dev.beamline.spi.BeamlinePlugin} found by
 * {@link java.util.ServiceLoader}; it provides stage factories of four kinds: sources, feature steps,
 * trainers and evaluators. This package holds the Beam-facing contracts; the sub-packages
 * {@code config}, {@code data}, {@code feature} and {@code model} are plain Java.
 */
package dev.beamline.spi;
