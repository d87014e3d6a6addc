package dev.beamline.core.run;

import java.nio.file.Path;
import dev.beamline.statistics.Anomaly;
import dev.beamline.statistics.Validation;
import java.util.List;
import java.util.Map;

/**
 * A finished run.
 *
 * @param directory the run directory
 * @param metrics split -> metric -> value
 * @param anomalies what checking the data against the pipeline's data schema found (empty when none is named)
 * @param blessing whether the model was blessed and why, or null when the pipeline has no {@code blessing} section
 */
public record RunOutcome(Path directory, Map<String, Map<String, Double>> metrics, List<Anomaly> anomalies, Blessing blessing) {
  /** Whether the data failed its schema: an error-level anomaly (the model was not registered; exit code 3). */
  public boolean dataFailed() {
    return Validation.hasErrors(anomalies);
  }
}
