package dev.beamline.plugins.xgboost;

import java.util.Map;

/** The {@code random-forest} trainer against the test kit's contract. */
class RandomForestTrainerTest extends OtherModelContract {
  @Override
  String id() {
    return "random-forest";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("trees", 30, "maxDepth", 6, "seed", 7, "nthread", 1);
  }

  @Override
  protected double minimumFit() {
    return 0.9;
  }
}
