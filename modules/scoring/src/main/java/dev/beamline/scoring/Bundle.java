package dev.beamline.scoring;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.beamline.features.FeatureTransform;
import dev.beamline.features.StepResolver;
import dev.beamline.features.TransformJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model bundle as a run writes it ({@code model/}): the MLflow {@code MLmodel} file with Beamline's
 * flavor, the fitted transform ({@code transform.json}), the trainer's model file and {@code trainer.json},
 * and the settings of the source the model was trained from ({@code source.json}), read from a local
 * directory. Immutable.
 *
 * @param directory the model directory
 * @param transform the fitted transform
 * @param trainer the trainer plugin's identifier, e.g. {@code xgboost}
 * @param modelFile the model file's name
 * @param model the model file's bytes
 * @param source the source's type and settings ({@code {"type": "csv", "settings": {...}}}); empty when not recorded
 * @param mlmodel the {@code MLmodel} file's content
 */
public record Bundle(Path directory, FeatureTransform transform, String trainer, String modelFile, byte[] model,
    Map<String, Object> source, Map<String, Object> mlmodel) {

  /** The file naming the source a model was trained from, beside {@code transform.json}. */
  public static final String SOURCE_FILE = "source.json";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public Bundle {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(transform, "transform");
    Objects.requireNonNull(trainer, "trainer");
    source = Map.copyOf(source);
    mlmodel = Map.copyOf(mlmodel);
  }

  /**
   * Reads a bundle from a model directory, or from a run directory's {@code model/}.
   *
   * @throws IllegalArgumentException naming the file at fault when the directory is not a Beamline model
   */
  public static Bundle read(Path dir, StepResolver steps) throws IOException {
    Path modelDir = Files.isRegularFile(dir.resolve("MLmodel")) ? dir
        : Files.isRegularFile(dir.resolve("model").resolve("MLmodel")) ? dir.resolve("model") : null;
    if (modelDir == null) {
      if (!Files.isDirectory(dir)) {
        throw new NoSuchFileException(dir.toString());
      }
      throw new IllegalArgumentException(dir + ": not a model directory (no MLmodel file here or in model/); give a run directory, "
          + "its model/ directory, runs:/<run_id>/model or models:/<name>@<alias>");
    }
    Map<String, Object> mlmodel = YAML.readValue(modelDir.resolve("MLmodel").toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    Map<String, Object> flavor = section(section(mlmodel, "flavors", modelDir), "beamline", modelDir);
    String transformFile = String.valueOf(flavor.getOrDefault("transform", "transform.json"));
    String modelFile = String.valueOf(flavor.get("model"));
    FeatureTransform transform;
    try {
      transform = TransformJson.read(Files.readString(modelDir.resolve(transformFile)), steps);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(modelDir.resolve(transformFile) + ": " + e.getMessage(), e);
    }
    if (transform.label() == null) {
      throw new IllegalArgumentException(modelDir.resolve(transformFile) + ": has no label (task); it was not written by a training run");
    }
    Map<String, Object> trainerJson = JSON.readValue(modelDir.resolve("trainer.json").toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    Object trainer = trainerJson.get("id");
    if (trainer == null) {
      throw new IllegalArgumentException(modelDir.resolve("trainer.json") + ": no 'id' (the trainer plugin)");
    }
    Map<String, Object> source = Map.of();
    Path sourceFile = modelDir.resolve(String.valueOf(flavor.getOrDefault("source", SOURCE_FILE)));
    if (Files.isRegularFile(sourceFile)) {
      source = JSON.readValue(sourceFile.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
    }
    return new Bundle(modelDir, transform, String.valueOf(trainer), modelFile, Files.readAllBytes(modelDir.resolve(modelFile)),
        source, mlmodel);
  }

  /** The source's settings ({@code source.json}'s {@code settings}), empty when not recorded. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> sourceSettings() {
    return source.get("settings") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The source plugin's identifier ({@code source.json}'s {@code type}), or {@code null} when not recorded. */
  public String sourceType() {
    return source.get("type") == null ? null : String.valueOf(source.get("type"));
  }

  /** A name for the model: its run directory's name (the directory's own when it is not a run's {@code model/}). */
  public String name() {
    Path d = directory.getFileName() != null && directory.getFileName().toString().equals("model") && directory.getParent() != null
        ? directory.getParent() : directory;
    return d.getFileName() == null ? d.toString() : d.getFileName().toString();
  }

  /** The MLflow run id the model was logged under, or {@code null}. */
  public String runId() {
    Object v = mlmodel.get("run_id");
    return v == null ? null : String.valueOf(v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> parent, String key, Path dir) {
    if (parent.get(key) instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new IllegalArgumentException(dir.resolve("MLmodel") + ": no '" + key + "' section; a Beamline model has flavors.beamline "
        + "(a model written by another tool cannot be scored on raw columns)");
  }
}
