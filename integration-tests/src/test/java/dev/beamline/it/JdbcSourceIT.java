package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adult-income pipeline reading a real PostgreSQL 15 server ({@code integration-tests/bin/postgres}): adult.data and
 * adult.test loaded into tables keyed by their line numbers train the CSV pipeline's model, with its metrics, on the
 * DirectRunner and on a Flink cluster (whose workers connect to the database themselves); and the ways a database source
 * goes wrong are clear.
 */
class JdbcSourceIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  static PostgresServer db;
  static FlinkCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    db = PostgresServer.start(tmp.resolve("postgres"));
    try (Connection c = db.connect()) {
      load(c, "adult_data", PipelinesIT.DATASETS.resolve("adult/adult.data"));
      load(c, "adult_test", PipelinesIT.DATASETS.resolve("adult/adult.test"));
    }
    cluster = FlinkCluster.start(tmp.resolve("flink-cluster"));
  }

  @AfterAll
  static void stop() throws Exception {
    try (PostgresServer d = db; FlinkCluster f = cluster) {
      // both stopped, whatever the other did
    }
  }

  /** A table of adult's rows keyed by their line numbers: whole numbers as integers, "?" as NULL, labels without adult.test's dot. */
  static void load(Connection c, String table, Path csv) throws Exception {
    StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (line bigint PRIMARY KEY");
    for (String column : SourcesIT.COLUMNS) {
      ddl.append(", \"").append(column).append("\" ").append(SourcesIT.NUMERIC.contains(column) ? "integer" : "text");
    }
    try (Statement st = c.createStatement()) {
      st.execute(ddl.append(")").toString());
    }
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    String insert = "INSERT INTO " + table + " VALUES (?" + ", ?".repeat(SourcesIT.COLUMNS.size()) + ")";
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement(insert)) {
      for (int i = 1; i < lines.size(); i++) { // line 1 is a header (adult.data) or "|1x3 Cross validator" (adult.test)
        Object[] row = SourcesIT.typed(lines.get(i));
        if (row == null) {
          continue;
        }
        ps.setLong(1, i + 1);
        for (int col = 0; col < row.length; col++) {
          boolean number = SourcesIT.NUMERIC.contains(SourcesIT.COLUMNS.get(col));
          if (row[col] == null) {
            ps.setNull(col + 2, number ? Types.INTEGER : Types.VARCHAR);
          } else if (number) {
            ps.setInt(col + 2, ((Double) row[col]).intValue());
          } else {
            ps.setString(col + 2, (String) row[col]);
          }
        }
        ps.addBatch();
        if (i % 2000 == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
    c.commit();
    c.setAutoCommit(true);
  }

  /** The pipeline's sources as the tables of this server. */
  static String sources(String train, String password) {
    return sources(train, "adult_test", password);
  }

  static String sources(String train, String test, String password) {
    String common = "type: jdbc, url: '" + db.url + "', keyColumn: line, user: beamline, password: '" + password + "'";
    return "sources={train: {" + common + ", table: " + train + "}, test: {" + common + ", table: " + test + "}}";
  }

  static Cli run(Path out, String... more) {
    String[] args = Stream.concat(Stream.of("run", PipelinesIT.ROOT.resolve("pipelines/adult-income/pipeline.yaml").toString(), "--output",
        out.toString(), "--set", "report.enabled=false"), Stream.of(more)).toArray(String[]::new);
    return Cli.run(args);
  }

  @Test
  void adultFromPostgresGivesTheCsvPipelinesModelAndMetricsOnTheDirectRunnerAndOnAFlinkCluster() throws Exception {
    Path csv = tmp.resolve("csv");
    Path direct = tmp.resolve("jdbc-direct");
    Path flink = tmp.resolve("jdbc-flink");
    assertEquals(0, run(csv).code());
    Cli onDirect = run(direct, "--set", sources("adult_data", db.password));
    assertEquals(0, onDirect.code(), onDirect.toString());
    Cli onFlink = run(flink, Stream.concat(Stream.of("--set", sources("adult_data", db.password)), Stream.of(cluster.options()))
        .toArray(String[]::new));
    assertEquals(0, onFlink.code(), onFlink.toString());
    String runId = PipelinesIT.json(flink.resolve("run.json")).get("runId").asText();
    assertNotNull(cluster.job(runId), "the run went to the cluster: " + cluster.jobs());

    for (Path run : List.of(direct, flink)) {
      CrossRunnerIT.assertSameNumbers(PipelinesIT.json(csv.resolve("metrics.json")), PipelinesIT.json(run.resolve("metrics.json")),
          run + ": metrics.json");
      assertArrayEquals(Files.readAllBytes(csv.resolve("model/model.ubj")), Files.readAllBytes(run.resolve("model/model.ubj")),
          run + ": the same rows with the same ids train the same trees");
    }
    JsonNode inputs = PipelinesIT.json(direct.resolve("run.json")).get("inputs");
    assertEquals(db.url + " table adult_data", inputs.get(0).get("path").asText());
    assertEquals(32561, inputs.get(0).get("rowsRead").asInt());
    assertEquals(16281, inputs.get(1).get("rowsRead").asInt());
    assertTrue(inputs.get(0).get("rowsDigest").asText().matches("[0-9a-f]{16}"), inputs.toString());
    JsonNode onCluster = PipelinesIT.json(flink.resolve("run.json")).get("inputs");
    for (int i = 0; i < 2; i++) {
      assertEquals(inputs.get(i).get("rowsDigest"), onCluster.get(i).get("rowsDigest"), "the same rows, read by other workers");
    }

    // The password is in no file of the run and in nothing it printed.
    for (Path run : List.of(direct, flink)) {
      try (Stream<Path> files = Files.walk(run)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertFalse(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(db.password), f + " holds the password");
        }
      }
    }
    assertFalse((onDirect.out() + onDirect.err() + onFlink.out() + onFlink.err()).contains(db.password));
  }

  @Test
  void aMissingTableAWrongPasswordAndAValueOfTheWrongTypeAreClear() throws Exception {
    Cli missing = run(tmp.resolve("missing"), "--set", sources("adult_dta", db.password));
    assertEquals(2, missing.code(), missing.toString());
    assertTrue(missing.err().contains("source 'train': cannot read table adult_dta from database beamline at 127.0.0.1:")
        && missing.err().contains("relation \"adult_dta\" does not exist") && missing.err().contains("(check sources.train.table)"), missing.err());

    Cli wrong = run(tmp.resolve("wrong-password"), "--set", sources("adult_data", "not-" + db.password));
    assertEquals(2, wrong.code(), wrong.toString());
    int port = Integer.parseInt(Files.readString(db.dir.resolve("server.port")).strip());
    assertTrue(wrong.err().contains("source 'train': cannot connect to database beamline at 127.0.0.1:" + port + " as user 'beamline': ")
        && wrong.err().contains("password authentication failed"), wrong.err());
    assertFalse(wrong.err().contains(db.password) || wrong.out().contains(db.password), "the password is never shown");

    // A text column read as numeric: a value that is no number sends its row to the dead letters, with its key.
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE adult_typed AS SELECT * FROM adult_data");
      st.execute("ALTER TABLE adult_typed ALTER COLUMN age TYPE text");
      st.execute("UPDATE adult_typed SET age = 'forty' WHERE line = 100");
    }
    Path typed = tmp.resolve("typed");
    Cli bad = run(typed, "--set", sources("adult_typed", db.password));
    assertEquals(0, bad.code(), bad.toString());
    List<JsonNode> rejected = Files.readAllLines(typed.resolve("rejected/rejected.jsonl")).stream().map(l -> {
      try {
        return JSON.readTree(l);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).collect(Collectors.toList());
    assertEquals(1, rejected.size(), rejected.toString());
    JsonNode r = rejected.get(0);
    assertEquals("train", r.get("source").asText());
    assertEquals(db.url + " table adult_typed", r.get("file").asText());
    assertEquals(100, r.get("line").asLong(), "the dead letter's line is the row's key");
    assertEquals("column 'age': 'forty' is not a number", r.get("reason").asText());
    assertTrue(r.get("raw").asText().startsWith("line=100, age=forty, workclass="), r.toString());
    assertEquals(32560, PipelinesIT.json(typed.resolve("metrics.json")).get("train").get("rows").asInt()
        + PipelinesIT.json(typed.resolve("metrics.json")).get("validation").get("rows").asInt());
  }

  @Test
  void predictScoresATableAndWritesThePredictionsBesideItReplacingThemOnARerun() throws Exception {
    Path trained = tmp.resolve("model-run");
    Cli train = run(trained, "--set", sources("adult_data", db.password), "--set", "trainer.rounds=30", "--set", "trainer.earlyStoppingRounds=0");
    assertEquals(0, train.code(), train.toString());
    // The model recorded its test source (adult_test) without the password, a secret: it is given again.
    for (int i = 0; i < 2; i++) {
      Path out = tmp.resolve("scores-" + i);
      Cli c = Cli.run("predict", "--model", trained.resolve("model").toString(), "--output", out.toString(), "--set",
          "source.password=" + db.password, "--output-table", "adult_scores", "--keep", "sex");
      assertEquals(0, c.code(), c.toString());
      assertTrue(c.out().contains("wrote 16,281 predictions into table adult_scores as model "), c.out());
      JsonNode runJson = PipelinesIT.json(out.resolve("run.json"));
      assertEquals(16281, runJson.get("table").get("rows").asInt());
      assertEquals("[\"password=****\"]", runJson.get("source").get("overrides").toString(), "the password is not recorded");
    }
    Map<Long, Double> file = new HashMap<>();
    for (String line : Files.readAllLines(tmp.resolve("scores-1/predictions.csv")).subList(1, 16282)) {
      String[] f = line.split(",");
      file.put(Long.parseLong(f[2]), Double.parseDouble(f[f.length - 1]));
    }
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT line, sex, probability, (SELECT count(*) FROM adult_scores) FROM adult_scores")) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertEquals(16281, rs.getLong(4), "a rerun replaced the rows it wrote, it did not add to them");
        assertEquals(file.get(rs.getLong(1)), rs.getDouble(3), 1e-7, "line " + rs.getLong(1));
      }
      assertEquals(16281, rows);
    }
  }

  /** A timestamptz column: ISO-8601 text from the source, calendar features from the datetime step, in training and in scoring. */
  @Test
  void aTimestampColumnBecomesFeaturesInTrainingAndInScoring() throws Exception {
    try (Connection c = db.connect(); Statement st = c.createStatement()) {
      for (String t : List.of("data", "test")) {
        st.execute("CREATE TABLE adult_" + t + "_dated AS SELECT *, timestamptz '2024-01-01 00:00:00+00' + line * interval '97 minutes' "
            + "AS signup FROM adult_" + t);
        st.execute("UPDATE adult_" + t + "_dated SET signup = NULL WHERE line % 10 = 0");
      }
    }
    Path csv = tmp.resolve("csv-schema");
    assertEquals(0, run(csv, "--set", "trainer.rounds=1").code());
    String columns = PipelinesIT.json(csv.resolve("schema.json")).get("columns").toString();
    columns = columns.substring(0, columns.length() - 1) + ", {\"name\": \"signup\", \"type\": \"categorical\"}]";
    Path dated = tmp.resolve("dated");
    Cli train = run(dated, "--set", sources("adult_data_dated", "adult_test_dated", db.password), "--set", "schema.columns=" + columns, "--set",
        "features=[{columns: [age, fnlwgt, education-num, capital-gain, capital-loss, hours-per-week], transforms: [{type: zscore}]}, "
            + "{columns: [workclass, education, marital-status, occupation, relationship, race, sex, native-country], "
            + "transforms: [{type: vocabulary, minFrequency: 5, encoding: onehot}]}, "
            + "{column: signup, transforms: [{type: datetime, parts: [month, dayOfWeek, hour], cyclic: true}]}]",
        "--set", "trainer.rounds=30", "--set", "trainer.earlyStoppingRounds=0");
    assertEquals(0, train.code(), train.toString());
    JsonNode names = PipelinesIT.json(dated.resolve("model/transform.json")).get("featureNames");
    for (String f : List.of("signup_month_sin", "signup_month_cos", "signup_dayOfWeek_sin", "signup_hour_cos")) {
      assertTrue(names.toString().contains("\"" + f + "\""), f + " in " + names);
    }
    assertEquals(0, PipelinesIT.json(dated.resolve("run.json")).get("inputs").get(0).get("rowsRejectedByReader").asInt());
    // Scoring reads the same column through the same step: rows of the dated table, with and without a signup.
    Path scored = tmp.resolve("dated-scores");
    Cli c = Cli.run("predict", "--model", dated.resolve("model").toString(), "--output", scored.toString(), "--set",
        "source.password=" + db.password, "--set", "source.table=~", "--set",
        "source.query=SELECT * FROM adult_data_dated WHERE line <= 1001", "--keep", "signup");
    assertEquals(0, c.code(), c.toString());
    List<String> lines = Files.readAllLines(scored.resolve("predictions.csv"));
    assertEquals(1001, lines.size(), "a header and lines 2..1001");
    assertTrue(lines.get(1).contains(",2024-01-01T03:14:00Z,"), lines.get(1));
  }
}
