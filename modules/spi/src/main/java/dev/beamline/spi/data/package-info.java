/**
 * The data model stages exchange: {@link dev.beamline.spi.data.Schema}, {@link dev.beamline.spi.data.Record},
 * {@link dev.beamline.spi.data.Rejected}. No Beam types here: scoring code uses them without Beam.
 */
package dev.beamline.spi.data;
