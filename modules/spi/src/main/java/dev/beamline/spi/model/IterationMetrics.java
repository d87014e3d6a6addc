package dev.beamline.spi.model;

import java.io.Serializable;
import java.util.Map;

/**
 * The metrics a trainer measured after one iteration (boosting round, epoch).
 *
 * @param iteration 0-based
 * @param metrics split name ({@code train}, {@code validation}) to metric name to value
 */
public record IterationMetrics(int iteration, Map<String, Map<String, Double>> metrics) implements Serializable {
  public IterationMetrics {
    metrics = Map.copyOf(metrics);
  }
}
