package dev.beamline.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.beamline.core.json.Json;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.features.FeatureTransform;
import dev.beamline.scoring.Bundle;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;
import dev.beamline.spi.model.Task;
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
 * {@code xgboost}: the bare booster), {@code python_function} (Beamline's Python module in {@code code/},
 * taking raw columns) and Beamline's own flavor naming {@code transform.json} and {@code source.json}, plus
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

  /** The Python module of the {@code python_function} flavor, copied into the model's {@code code/}. */
  public static final String PYFUNC_MODULE = "beamline_pyfunc";

  /**
   * Writes the MLmodel, environment and source files and the Python module that scores raw columns.
   *
   * @param modelDir the model directory (holds the model file and transform.json)
   * @param modelFile the model file's name
   * @param flavor the trainer's flavor name
   * @param flavorProperties the trainer's flavor properties
   * @param transform the fitted transform: the task, and the raw columns the model reads
   * @param source the type and settings of the source the model scores by default (see {@link #sourceOf})
   * @param beamlineVersion Beamline's version
   * @param created when
   */
  public static void write(Path modelDir, String modelFile, String flavor, Map<String, Object> flavorProperties,
      FeatureTransform transform, Map<String, Object> source, String beamlineVersion, Instant created) throws IOException {
    Task task = transform.label().task();
    Map<String, Object> mlmodel = new LinkedHashMap<>();
    mlmodel.put("artifact_path", "model");
    Map<String, Object> flavors = new LinkedHashMap<>();
    // Python's pyfunc takes raw columns too: Beamline's module applies transform.json, then the booster.
    Map<String, Object> pyfunc = new LinkedHashMap<>();
    pyfunc.put("code", "code");
    pyfunc.put("data", modelFile);
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("conda", "conda.yaml");
    env.put("virtualenv", "python_env.yaml");
    pyfunc.put("env", env);
    pyfunc.put("loader_module", PYFUNC_MODULE);
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
    beamline.put("source", Bundle.SOURCE_FILE);
    beamline.put("task", task.type().name().toLowerCase(Locale.ROOT));
    beamline.put("classes", task.classes());
    beamline.put("beamline_version", beamlineVersion);
    flavors.put("beamline", beamline);
    mlmodel.put("flavors", flavors);
    mlmodel.put("mlflow_version", MLFLOW_VERSION);
    mlmodel.put("model_uuid", UUID.randomUUID().toString().replace("-", ""));
    mlmodel.put("utc_time_created", CREATED.format(created));
    Map<String, Object> signature = signature(transform);
    if (signature != null) {
      mlmodel.put("signature", signature);
    }
    Files.writeString(modelDir.resolve(Bundle.SOURCE_FILE), Json.pretty(source));
    Path code = Files.createDirectories(modelDir.resolve("code"));
    try (InputStream in = ModelBundle.class.getResourceAsStream(PYFUNC_MODULE + ".py")) {
      Files.write(code.resolve(PYFUNC_MODULE + ".py"), Objects.requireNonNull(in, "the pyfunc module resource").readAllBytes());
    }

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

  /**
   * What {@code source.json} records of the source new data is read like: the {@code test} source where the
   * pipeline has one, else {@code data}, else {@code train}; its type and settings without paths and secrets.
   */
  public static Map<String, Object> sourceOf(RunPlan plan) {
    RunPlan.PlannedSource chosen = null;
    for (String name : List.of("test", "data", "train")) {
      for (RunPlan.PlannedSource s : plan.sources()) {
        if (chosen == null && s.name().equals(name)) {
          chosen = s;
        }
      }
    }
    if (chosen == null) {
      chosen = plan.sources().get(0);
    }
    Map<String, Object> settings = new java.util.TreeMap<>();
    chosen.displayConfig().forEach((k, v) -> {
      if (!k.equals("path") && !k.equals("paths") && !SecretMasks.MASK.equals(v)) {
        settings.put(k, v);
      }
    });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("source", chosen.name());
    out.put("type", chosen.type());
    out.put("settings", settings);
    return out;
  }

  /**
   * The signature: the raw columns the features read, each required (numbers as {@code any}, because
   * MLflow refuses 64-bit integers for a {@code double} column and JSON ages are integers; Beamline's module
   * checks the values itself; text as {@code string}). {@code null} when a sparse column is read, which a
   * column signature cannot describe.
   */
  static Map<String, Object> signature(FeatureTransform transform) {
    List<Map<String, Object>> inputs = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (FeatureTransform.Chain chain : transform.chains()) {
      Column column = transform.schema().find(chain.column()).orElseThrow();
      if (column.type() == ColumnType.SPARSE) {
        return null;
      }
      if (seen.add(column.name())) {
        Map<String, Object> col = new LinkedHashMap<>();
        col.put("type", column.type() == ColumnType.NUMERIC ? "any" : "string");
        col.put("name", column.name());
        col.put("required", true);
        inputs.add(col);
      }
    }
    Task task = transform.label().task();
    Map<String, Object> signature = new LinkedHashMap<>();
    signature.put("inputs", Json.compact(inputs));
    Map<String, Object> tensor = new LinkedHashMap<>();
    tensor.put("dtype", "float32");
    tensor.put("shape", task.predictionWidth() > 1 ? List.of(-1, task.predictionWidth()) : List.of(-1));
    signature.put("outputs", Json.compact(List.of(Map.of("type", "tensor", "tensor-spec", tensor))));
    signature.put("params", null);
    return signature;
  }
}
