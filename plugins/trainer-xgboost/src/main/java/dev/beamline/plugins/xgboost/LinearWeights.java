package dev.beamline.plugins.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A linear booster's ({@code gblinear}) coefficients, read from XGBoost's JSON model: a weight per feature and an
 * intercept per output (the bias plus the base score as a margin), so that the margin of a row is
 * {@code intercept + sum(weight * feature)}: the probability its sigmoid (binary), the prediction itself (squared error).
 */
final class LinearWeights {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LinearWeights() {}

  /**
   * {@code coefficients} (feature -> weight, or class -> feature -> weight for several classes) and {@code intercept}
   * (a number, or class -> number).
   */
  static Map<String, Object> of(byte[] json, List<String> features, Task task) throws IOException {
    JsonNode learner = JSON.readTree(json).path("learner");
    JsonNode weights = learner.path("gradient_booster").path("model").path("weights");
    int groups = task.type() == TaskType.MULTICLASS ? task.numClasses() : 1;
    if (weights.size() != (features.size() + 1) * groups) {
      throw new IOException("a linear model of " + weights.size() + " weights for " + features.size() + " features and " + groups
          + " outputs");
    }
    double baseMargin = baseMargin(learner, task);
    Map<String, Object> coefficients = new LinkedHashMap<>();
    Map<String, Object> intercepts = new LinkedHashMap<>();
    for (int g = 0; g < groups; g++) {
      Map<String, Double> w = new LinkedHashMap<>();
      for (int f = 0; f < features.size(); f++) {
        w.put(features.get(f), weights.get(f * groups + g).asDouble());
      }
      double intercept = weights.get(features.size() * groups + g).asDouble() + baseMargin;
      if (groups == 1) {
        coefficients.putAll(w);
        intercepts.put("", intercept);
      } else {
        coefficients.put(task.classes().get(g), w);
        intercepts.put(task.classes().get(g), intercept);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("coefficients", coefficients);
    out.put("intercept", groups == 1 ? intercepts.get("") : intercepts);
    return out;
  }

  /** The base score as a margin: its logit for a logistic output, itself otherwise. */
  private static double baseMargin(JsonNode learner, Task task) {
    String text = learner.path("learner_model_param").path("base_score").asText("0.5").replaceAll("[\\[\\]]", "");
    double base = Double.parseDouble(text.contains(",") ? text.substring(0, text.indexOf(',')) : text);
    String objective = learner.path("objective").path("name").asText();
    if (objective.equals("binary:logistic")) {
      return Math.log(base / (1 - base));
    }
    return task.type() == TaskType.MULTICLASS ? 0 : base;
  }
}
