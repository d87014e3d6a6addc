/** Training and prediction contracts: plain Java, no Beam types. */
package dev.beamline.spi.model;
