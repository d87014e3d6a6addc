package dev.beamline.core.beam;

import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.features.FeatureTransform;
import dev.beamline.features.TransformJson;

/** Restores the fitted transform from its JSON side input once per DoFn instance. */
final class TransformCache {
  private String json;
  private FeatureTransform transform;

  FeatureTransform get(String text) {
    if (transform == null || !text.equals(json)) {
      transform = TransformJson.read(text, WorkerPlugins.steps());
      json = text;
    }
    return transform;
  }
}
