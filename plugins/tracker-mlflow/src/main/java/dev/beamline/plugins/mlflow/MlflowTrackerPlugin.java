package dev.beamline.plugins.mlflow;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.tracking.TrackerFactory;
import java.util.List;

/** Beamline's MLflow tracker. */
public final class MlflowTrackerPlugin implements BeamlinePlugin {
  @Override
  public List<TrackerFactory> trackers() {
    return List.of(new MlflowTrackerFactory());
  }
}
