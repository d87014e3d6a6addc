/**
 * Beamline's plugin test kit: JUnit 5 base classes a plugin's tests extend. {@link dev.beamline.testkit.PluginContract}
 * checks discovery and configuration; {@link dev.beamline.testkit.SourceContract},
 * {@link dev.beamline.testkit.FeatureContract}, {@link dev.beamline.testkit.TrainerContract} and
 * {@link dev.beamline.testkit.EvaluatorContract} check each stage kind's behaviour on a DirectRunner with
 * Beam's immutability and encodability checks on.
 */
package dev.beamline.testkit;
