package dev.beamline.plugins.features;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.FeatureFactory;
import dev.beamline.spi.StageFactory;
import dev.beamline.testkit.FeatureContract;
import java.util.Map;

/** The contract for one of the standard features. */
abstract class StandardFeatureContract extends FeatureContract {
  @Override
  protected BeamlinePlugin plugin() {
    return new StandardFeatures();
  }

  /** The feature's identifier. */
  abstract String id();

  @Override
  protected FeatureFactory feature() {
    return plugin().features().stream().filter(f -> f.id().equals(id())).findFirst().orElseThrow();
  }

  @Override
  protected Map<String, Object> requiredValues(StageFactory stage) {
    return stage.id().equals("hash") ? Map.of("buckets", 4) : Map.of();
  }
}
