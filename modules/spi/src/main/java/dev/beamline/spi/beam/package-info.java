/** Beam coders for Beamline's data types, registered automatically with every pipeline. */
package dev.beamline.spi.beam;
