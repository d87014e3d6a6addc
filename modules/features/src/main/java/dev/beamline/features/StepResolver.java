package dev.beamline.features;

import dev.beamline.features.steps.StandardSteps;
import dev.beamline.spi.feature.FittedStepFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds the restorer of a step type: the built-in ones, then those plugins list in
 * {@code META-INF/services/dev.beamline.spi.feature.FittedStepFactory}.
 */
public final class StepResolver {
  private final Map<String, FittedStepFactory> byType = new TreeMap<>();

  private StepResolver(List<FittedStepFactory> factories) {
    for (FittedStepFactory f : factories) {
      byType.putIfAbsent(f.type(), f);
    }
  }

  /** Built-in steps plus those found on the class path. */
  public static StepResolver discover() {
    List<FittedStepFactory> all = new java.util.ArrayList<>(StandardSteps.all());
    ServiceLoader.load(FittedStepFactory.class).forEach(all::add);
    return new StepResolver(all);
  }

  /** Exactly these restorers. */
  public static StepResolver of(List<FittedStepFactory> factories) {
    return new StepResolver(factories);
  }

  /** The restorer of a type; throws naming the known types when there is none. */
  public FittedStepFactory get(String type) {
    FittedStepFactory f = byType.get(type);
    if (f == null) {
      throw new IllegalArgumentException("no feature step of type '" + type + "' is installed; known types: "
          + String.join(", ", byType.keySet()));
    }
    return f;
  }
}
