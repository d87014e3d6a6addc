/**
 * The apply half of feature transforms: {@link dev.beamline.spi.feature.FittedStep} and how to restore one
 * from a transform artifact. No Beam types here.
 */
package dev.beamline.spi.feature;
