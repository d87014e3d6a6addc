package dev.beamline.spi.tracking;

import dev.beamline.spi.StageFactory;
import dev.beamline.spi.StageKind;
import dev.beamline.spi.config.StageConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Provides a tracker: where runs, their parameters, metrics, files and models are recorded (e.g. an
 * MLflow server). The host journals every event first and hands them to the sink, during the run and on
 * {@code beamline tracking sync}; the tracker never sees the Beam pipeline.
 */
public interface TrackerFactory extends StageFactory {
  @Override
  default StageKind kind() {
    return StageKind.TRACKER;
  }

  /**
   * Opens a sink to the backend at {@code target}. Credentials come from the environment the tracker
   * documents, never from the pipeline file.
   *
   * @throws dev.beamline.spi.config.ConfigException when the target is not a URI this tracker handles
   */
  TrackingSink open(URI target, StageConfig config);

  /**
   * Resolves a model URI of this tracker (e.g. {@code models:/name@alias}) to a local model directory,
   * downloading it into {@code cache} unless it is there already.
   *
   * @throws UnsupportedOperationException when the tracker has no model store
   */
  default Path fetchModel(URI target, StageConfig config, String modelUri, Path cache)
      throws IOException, TrackingUnavailableException {
    throw new UnsupportedOperationException("the " + id() + " tracker has no model store");
  }
}
