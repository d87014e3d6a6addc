package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStepFactory;
import java.util.List;

/** The built-in steps' restorers. */
public final class StandardSteps {
  private StandardSteps() {}

  /** Every built-in step type. */
  public static List<FittedStepFactory> all() {
    return List.of(ZScoreStep.FACTORY, MinMaxStep.FACTORY, BucketizeStep.FACTORY, ImputeStep.FACTORY,
        Log1pStep.FACTORY, VocabularyStep.FACTORY, HashStep.FACTORY, DateTimeStep.FACTORY);
  }
}
