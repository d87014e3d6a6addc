/**
 * Typed, validated stage configuration: a stage declares its keys in a {@link dev.beamline.spi.config.ConfigSpec};
 * the host validates the pipeline spec's values against it and hands the stage a
 * {@link dev.beamline.spi.config.StageConfig}. No Beam types here.
 */
package dev.beamline.spi.config;
