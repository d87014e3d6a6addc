package dev.beamline.plugins.xgboost;

import java.util.Map;

/** The {@code decision-tree} trainer against the test kit's contract. */
class DecisionTreeTrainerTest extends OtherModelContract {
  @Override
  String id() {
    return "decision-tree";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("maxDepth", 5, "seed", 7, "nthread", 1);
  }

  @Override
  protected double minimumFit() {
    return 0.9;
  }
}
