package dev.beamline.core.run;

import java.nio.file.Path;
import java.util.Map;

/**
 * A finished run.
 *
 * @param directory the run directory
 * @param metrics split -> metric -> value
 */
public record RunOutcome(Path directory, Map<String, Map<String, Double>> metrics) {}
