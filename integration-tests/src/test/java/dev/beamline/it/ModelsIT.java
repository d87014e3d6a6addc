package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

  /**
   * k-means on breast cancer (k 2, z-scores, 80/20 split): scikit-learn's KMeans(n_clusters=2, n_init=1,
   * random_state=42) on the same training rows and scaling gives train inertia 9,464.74, silhouette 0.344899 and
   * adjusted Rand index 0.669610 against the diagnosis (benchmarks/sklearn_models.py). The same centres on embedded
   * Flink; batch scoring, the server and Python's pyfunc give the run's own clusters.
   */
  @Test
  void kMeansFindsScikitLearnsClustersOnEveryRunnerAndScoresEverywhere() throws Exception {
    Path run = PipelinesIT.run(tmp.resolve("direct"), "breast-cancer-kmeans", "--set", "report.enabled=false");
    assertScikitLearnsFigures(run);
    Path flink = PipelinesIT.run(tmp.resolve("flink"), "breast-cancer-kmeans", "--set", "report.enabled=false", "--runner=FlinkRunner",
        "--parallelism=2");
    assertEquals(Files.readString(run.resolve("model/model.json")), Files.readString(flink.resolve("model/model.json")), "the same centres");
    assertEquals(Files.readString(run.resolve("predictions/test.csv")), Files.readString(flink.resolve("predictions/test.csv")));
    Path data = PipelinesIT.DATASETS.resolve("breast_cancer_wisconsin/breast_cancer.csv");
    Map<String, String[]> scored = batchScoresAsTheRunDid(run, data);
    assertPyfuncScoresTheSame(run, data, scored);
    assertTheServerScoresTheSame(run, data, scored);
  }

  private static void assertScikitLearnsFigures(Path run) throws Exception {
    JsonNode train = PipelinesIT.json(run.resolve("metrics.json")).get("train");
    assertEquals(9464.74, train.get("inertia").asDouble(), 9464.74 * 0.002, "scikit-learn's inertia on the same rows");
    assertEquals(0.344899, train.get("silhouette").asDouble(), 0.01, "scikit-learn's silhouette on the same rows");
    assertTrue(train.get("ari").asDouble() >= 0.669610 - 0.03, "scikit-learn's adjusted Rand index 0.669610; " + train.get("ari"));
    assertEquals(467, train.get("rows").asInt());
    JsonNode info = PipelinesIT.json(run.resolve("model/trainer.json")).get("info");
    assertTrue(info.get("converged").asBoolean(), "Lloyd's iterations ran until no row changed cluster");
    assertEquals(467, info.get("clusterSizes").get(0).asInt() + info.get("clusterSizes").get(1).asInt());
  }

  /** Batch scoring of every row of the file, by line; the test rows as the run scored them. */
  private Map<String, String[]> batchScoresAsTheRunDid(Path run, Path data) throws Exception {
    Cli c = Cli.run("predict", "--model", run.resolve("model").toString(), "--input", data.toString(), "--output", tmp.resolve("scored").toString());
    assertEquals(0, c.code(), c.toString());
    Map<String, String[]> scored = new HashMap<>();
    List<String> lines = Files.readAllLines(tmp.resolve("scored/predictions.csv"));
    assertEquals("source,file,line,label,cluster,distance", lines.get(0));
    lines.subList(1, lines.size()).forEach(l -> scored.put(l.split(",")[2], l.split(",")));
    assertEquals(569, scored.size());
    List<String> own = Files.readAllLines(run.resolve("predictions/test.csv"));
    assertEquals(103, own.size(), "a header and the 102 test rows");
    for (String line : own.subList(1, own.size())) {
      String[] f = line.split(",");
      assertEquals(f[4] + "," + f[5], scored.get(f[2])[4] + "," + scored.get(f[2])[5], "line " + f[2]);
    }
    return scored;
  }

  /** Python's mlflow.pyfunc (Beamline's module, the k-means scorer) gives every row's cluster and distance. */
  private void assertPyfuncScoresTheSame(Path run, Path data, Map<String, String[]> scored) throws Exception {
    Path out = tmp.resolve("pyfunc.txt");
    Process py = new ProcessBuilder(MlflowServer.python(), PipelinesIT.ROOT.resolve("integration-tests/src/test/python/pyfunc_predict.py")
        .toString(), run.resolve("model").toString(), data.toString(), "1", out.toString()).redirectErrorStream(true).start();
    String printed = new String(py.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(py.waitFor(300, TimeUnit.SECONDS), "python timed out");
    assertEquals(0, py.exitValue(), printed);
    List<String> python = Files.readAllLines(out);
    assertEquals(569, python.size());
    for (int i = 0; i < python.size(); i++) {
      String[] p = python.get(i).split(",");
      String[] b = scored.get(String.valueOf(i + 2)); // data lines start at line 2
      assertEquals(Double.parseDouble(b[4]), Double.parseDouble(p[0]), 0.0, "the cluster of line " + (i + 2));
      assertEquals(Double.parseDouble(b[5]), Double.parseDouble(p[1]), 1e-4 * Math.max(1, Double.parseDouble(b[5])), "line " + (i + 2));
    }
  }

  /** The server answers a scoring request with each row's cluster and squared distance. */
  private void assertTheServerScoresTheSame(Path run, Path data, Map<String, String[]> scored) throws Exception {
    List<String> columns = new ArrayList<>();
    new ObjectMapper().readTree(run.resolve("model/transform.json").toFile()).get("schema").forEach(col -> columns.add(col.get("name").asText()));
    List<String> raw = Files.readAllLines(data).subList(1, 4);
    String rows = String.join(",", raw.stream().map(r -> "[" + r + "]").toList());
    int port = ServerProcess.freePort();
    try (ServerProcess server = ServerProcess.start(List.of(PipelinesIT.ROOT.resolve("bin/beamline").toString(), "serve", "--model",
        run.resolve("model").toString(), "--port", String.valueOf(port)), Map.of("BEAMLINE_CDS", "0"), port,
        Files.createTempFile(tmp, "serve", ".log"), Duration.ofSeconds(120))) {
      var answer = server.post("/invocations", "application/json", "{\"dataframe_split\": {\"columns\": "
          + new ObjectMapper().writeValueAsString(columns) + ", \"data\": [" + rows + "]}}");
      assertEquals(200, answer.statusCode(), answer.body());
      JsonNode predictions = new ObjectMapper().readTree(answer.body()).get("predictions");
      for (int i = 0; i < 3; i++) {
        String[] b = scored.get(String.valueOf(i + 2));
        assertEquals(Double.parseDouble(b[4]), predictions.get(i).get(0).asDouble(), 0.0, "the served cluster of line " + (i + 2));
        assertEquals(Double.parseDouble(b[5]), predictions.get(i).get(1).asDouble(), 1e-4 * Math.max(1, Double.parseDouble(b[5])));
      }
    }
  }
}
