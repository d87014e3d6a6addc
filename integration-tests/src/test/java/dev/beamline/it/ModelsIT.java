package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example pipelines of the models beyond boosted trees, against scikit-learn's figures on the same features and
 * rows (computed by benchmarks/sklearn_models.py with scikit-learn 1.9.1; benchmarks/models.sh runs both side by side).
 */
class ModelsIT {
  @TempDir
  Path tmp;

  private static double test(Path run, String metric) throws Exception {
    return PipelinesIT.json(run.resolve("metrics.json")).get("test").get(metric).asDouble();
  }

  @Test
  void logisticRegressionMatchesScikitLearnsAndScoresInBeamlineAndPython() throws Exception {
    Path run = PipelinesIT.run(tmp, "adult-logistic", "--set", "report.enabled=false");
    double auc = test(run, "auc");
    assertEquals(0.904758, auc, 0.002, "scikit-learn's LogisticRegression(C=inf): test auc 0.904758");
    JsonNode info = PipelinesIT.json(run.resolve("model/trainer.json")).get("info");
    assertEquals(112, info.get("coefficients").size(), "a weight for each of the 112 features");
    assertTrue(info.get("intercept").isNumber());
    // Batch scoring loads the linear model like any other and gives the run's own test predictions.
    Cli c = Cli.run("predict", "--model", run.resolve("model").toString(), "--input",
        PipelinesIT.DATASETS.resolve("adult/adult.test").toString(), "--output", tmp.resolve("scored").toString());
    assertEquals(0, c.code(), c.toString());
    Map<String, String> own = new HashMap<>();
    for (String line : Files.readAllLines(run.resolve("predictions/test.csv")).subList(1, 16282)) {
      String[] f = line.split(",");
      own.put(f[2], f[f.length - 1]);
    }
    List<String> scored = Files.readAllLines(tmp.resolve("scored/predictions.csv"));
    assertEquals(16282, scored.size());
    for (String line : scored.subList(1, scored.size())) {
      String[] f = line.split(",");
      assertEquals(Double.parseDouble(own.get(f[2])), Double.parseDouble(f[f.length - 1]), 1e-6, "line " + f[2]);
    }
    // Python's mlflow.pyfunc loads it too (Beamline's module scores a gblinear booster through a DMatrix).
    Path out = tmp.resolve("pyfunc.txt");
    ProcessBuilder pb = new ProcessBuilder(MlflowServer.python(), PipelinesIT.ROOT.resolve("integration-tests/src/test/python/pyfunc_predict.py")
        .toString(), run.resolve("model").toString(), PipelinesIT.DATASETS.resolve("adult/adult.test").toString(), "1", out.toString())
        .redirectErrorStream(true);
    Process py = pb.start();
    String printed = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(py.waitFor(300, TimeUnit.SECONDS), "python timed out");
    assertEquals(0, py.exitValue(), printed);
    List<String> python = Files.readAllLines(out);
    List<String> ownLines = Files.readAllLines(run.resolve("predictions/test.csv"));
    assertEquals(ownLines.size() - 1, python.size());
    for (int i = 0; i < python.size(); i++) {
      String[] f = ownLines.get(i + 1).split(",");
      assertEquals(Double.parseDouble(f[f.length - 1]), Double.parseDouble(python.get(i)), 1e-6, "row " + i);
    }
  }

  @Test
  void linearRegressionIsScikitLearnsLeastSquares() throws Exception {
    Path run = PipelinesIT.run(tmp, "california-linear", "--set", "report.enabled=false");
    assertEquals(69806.70, test(run, "rmse"), 1.0, "scikit-learn's LinearRegression on the same rows: test rmse 69,806.70");
  }

  @Test
  void aRandomForestAndADecisionTreeReachScikitLearnsAuc() throws Exception {
    Path forest = PipelinesIT.run(tmp.resolve("forest"), "adult-forest", "--set", "report.enabled=false");
    assertEquals(0.917200, test(forest, "auc"), 0.003, "scikit-learn's RandomForestClassifier: test auc 0.917200");
    Path tree = PipelinesIT.run(tmp.resolve("tree"), "adult-tree", "--set", "report.enabled=false");
    assertTrue(test(tree, "auc") >= 0.900470, "scikit-learn's DecisionTreeClassifier(max_depth=8): test auc 0.900470; " + test(tree, "auc"));
  }
}
