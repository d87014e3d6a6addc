package dev.beamline.spi.model;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A trainer's result.
 *
 * @param fileName the model file's name inside the bundle, e.g. {@code model.ubj}
 * @param bytes the model file's content
 * @param flavor the trainer's flavor name in an MLflow {@code MLmodel} file, e.g. {@code xgboost}
 * @param flavorProperties the flavor's properties (model_format, xgb_version ...), without {@code data}
 * @param history per-iteration metrics, in order
 * @param bestIteration the iteration the model stops at (early stopping), or the last one
 * @param info more facts worth recording (rows, features, threads, elapsed ms); under {@link #IMPORTANCE}, when the
 *     trainer knows it, each feature's importance (a map of feature name to gain), which the run's report draws
 */
public record TrainedModel(
    String fileName,
    byte[] bytes,
    String flavor,
    Map<String, Object> flavorProperties,
    List<IterationMetrics> history,
    int bestIteration,
    Map<String, Object> info) implements Serializable {

  /** The key of {@link #info()} holding feature importance: feature name to gain, largest first. */
  public static final String IMPORTANCE = "importance";

  public TrainedModel {
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(flavor, "flavor");
    flavorProperties = Map.copyOf(flavorProperties);
    history = List.copyOf(history);
    info = Map.copyOf(info);
  }
}
