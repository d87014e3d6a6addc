package dev.beamline.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.beamline.core.json.Json;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the {@code model/} directory's MLflow files: {@code MLmodel} with the trainer's flavor (e.g.
 * {@code xgboost}), {@code python_function} and Beamline's own flavor naming {@code transform.json}, plus
 * the Python environment files, so that Python's {@code mlflow} can load the model.
 */
public final class ModelBundle {
  /**
   * The MLflow version the model files name: the newest whose whole dependency set installs here
   * (mlflow 3.18.0 needs mlflow-skinny 3.18.0, which the package index does not serve).
   */
  public static final String MLFLOW_VERSION = "3.17.2";

  /**
   * The Python xgboost the environment files ask for. Wheels after 3.2 do not install on Python 3.11 here;
   * xgboost 3.2.0 loads the UBJ models XGBoost4J 3.4.0 writes and predicts the same (agaricus checked with
   * mlflow.pyfunc: test error 0.021726, pyfunc and Booster predictions identical).
   */
  static final String PYTHON_XGBOOST = "xgboost>=3.2,<4";

  /** The Python version the environment files name. */
  public static final String PYTHON_VERSION = "3.11";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
  private static final DateTimeFormatter CREATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
      .withZone(ZoneOffset.UTC);

  private ModelBundle() {}

  /**
   * Writes the MLmodel and environment files.
   *
   * @param modelDir the model directory (holds the model file and transform.json)
   * @param modelFile the model file's name
   * @param flavor the trainer's flavor name
   * @param flavorProperties the trainer's flavor properties
   * @param task the task
   * @param featureNames the model's input columns
   * @param beamlineVersion Beamline's version
   * @param created when
   */
  public static void write(Path modelDir, String modelFile, String flavor, Map<String, Object> flavorProperties, Task task,
      List<String> featureNames, String beamlineVersion, Instant created) throws IOException {
    Map<String, Object> mlmodel = new LinkedHashMap<>();
    mlmodel.put("artifact_path", "model");
    Map<String, Object> flavors = new LinkedHashMap<>();
    Map<String, Object> pyfunc = new LinkedHashMap<>();
    pyfunc.put("data", modelFile);
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("conda", "conda.yaml");
    env.put("virtualenv", "python_env.yaml");
    pyfunc.put("env", env);
    pyfunc.put("loader_module", "mlflow." + flavor);
    pyfunc.put("python_version", PYTHON_VERSION);
    flavors.put("python_function", pyfunc);
    Map<String, Object> own = new LinkedHashMap<>();
    own.put("data", modelFile);
    own.put("code", null);
    own.putAll(flavorProperties);
    flavors.put(flavor, own);
    Map<String, Object> beamline = new LinkedHashMap<>();
    beamline.put("transform", "transform.json");
    beamline.put("model", modelFile);
    beamline.put("task", task.type().name().toLowerCase());
    beamline.put("classes", task.classes());
    beamline.put("beamline_version", beamlineVersion);
    flavors.put("beamline", beamline);
    mlmodel.put("flavors", flavors);
    mlmodel.put("mlflow_version", MLFLOW_VERSION);
    mlmodel.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
    mlmodel.put("utc_time_created", CREATED.format(created));
    Map<String, Object> signature = new LinkedHashMap<>();
    List<Map<String, Object>> inputs = new ArrayList<>();
    for (String name : featureNames) {
      Map<String, Object> col = new LinkedHashMap<>();
      col.put("type", "float");
      col.put("name", name);
      col.put("required", true);
      inputs.add(col);
    }
    signature.put("inputs", Json.compact(inputs));
    Map<String, Object> tensor = new LinkedHashMap<>();
    tensor.put("dtype", "float32");
    tensor.put("shape", task.type() == TaskType.MULTICLASS ? List.of(-1, task.numClasses()) : List.of(-1));
    signature.put("outputs", Json.compact(List.of(Map.of("type", "tensor", "tensor-spec", tensor))));
    signature.put("params", null);
    mlmodel.put("signature", signature);
    Path example = modelDir.resolve("input_example.json");
    if (Files.exists(example)) {
      // MLflow's own layout: the example in pandas' split orientation, and the same rows as a scoring request.
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("artifact_path", "input_example.json");
      info.put("serving_input_path", "serving_input_example.json");
      info.put("type", "dataframe");
      info.put("pandas_orient", "split");
      mlmodel.put("saved_input_example_info", info);
      Files.writeString(modelDir.resolve("serving_input_example.json"),
          Json.pretty(Map.of("dataframe_split", Json.parseObject(Files.readString(example)))));
    }
    Files.writeString(modelDir.resolve("MLmodel"), YAML.writeValueAsString(mlmodel));

    List<String> requirements = new ArrayList<>();
    requirements.add("mlflow==" + MLFLOW_VERSION);
    if (flavor.equals("xgboost")) {
      requirements.add(PYTHON_XGBOOST);
    }
    Files.writeString(modelDir.resolve("requirements.txt"), String.join("\n", requirements) + "\n");
    Map<String, Object> pythonEnv = new LinkedHashMap<>();
    pythonEnv.put("python", PYTHON_VERSION);
    pythonEnv.put("build_dependencies", List.of("pip"));
    pythonEnv.put("dependencies", List.of("-r requirements.txt"));
    Files.writeString(modelDir.resolve("python_env.yaml"), YAML.writeValueAsString(pythonEnv));
    Map<String, Object> conda = new LinkedHashMap<>();
    conda.put("channels", List.of("conda-forge"));
    conda.put("dependencies", List.of("python=" + PYTHON_VERSION, "pip", Map.of("pip", requirements)));
    conda.put("name", "mlflow-env");
    Files.writeString(modelDir.resolve("conda.yaml"), YAML.writeValueAsString(conda));
  }
}
