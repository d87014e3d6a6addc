package dev.beamline.plugins.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.StageFactory;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.testkit.SourceContract;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The jdbc source on an in-memory H2 database (in its PostgreSQL-like lower-case mode); {@code SourcesIT} reads a real
 * PostgreSQL server.
 */
class JdbcSourceTest extends SourceContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final Schema PEOPLE = new Schema(List.of(Column.numeric("age"), Column.categorical("job"), Column.numeric("hours"),
      Column.categorical("joined")));

  @Override
  protected BeamlinePlugin plugin() {
    return new JdbcPlugin();
  }

  @Override
  protected SourceFactory source() {
    return new JdbcPlugin();
  }

  @Override
  protected Map<String, Object> requiredValues(StageFactory stage) {
    return Map.of("url", "jdbc:h2:mem:contract", "table", "t");
  }

  @Override
  protected Schema schema(SourceStage stage) {
    return PEOPLE;
  }

  /** A new in-memory database holding {@code sql}'s tables, and its URL. */
  private static String database(String... sql) throws IOException {
    String url = "jdbc:h2:mem:beamline" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    } catch (SQLException e) {
      throw new IOException(e);
    }
    return url;
  }

  private static final String PEOPLE_TABLE = "CREATE TABLE people (id BIGINT, age INT, job VARCHAR(40), hours VARCHAR(20), joined DATE, "
      + "vip BOOLEAN, photo BLOB)";

  private static Map<String, Object> config(String url, Object... more) {
    Map<String, Object> c = new HashMap<>(Map.of("url", url, "table", "people", "keyColumn", "id", "user", "sa"));
    for (int i = 0; i < more.length; i += 2) {
      c.put((String) more[i], more[i + 1]);
    }
    return c;
  }

  @Override
  protected Input smallInput(java.nio.file.Path dir) throws IOException {
    String url = database(PEOPLE_TABLE,
        "INSERT INTO people VALUES (1, 39, 'State-gov', '40', DATE '2024-03-01', TRUE, NULL), "
            + "(2, 50, NULL, '13.5', NULL, FALSE, NULL), (7, NULL, 'Private', ' 40 ', DATE '1999-12-31', NULL, NULL)");
    return new Input(config(url), 3, 0);
  }

  @Override
  protected Input emptyInput(java.nio.file.Path dir) throws IOException {
    return new Input(config(database(PEOPLE_TABLE)), 0, 0);
  }

  @Override
  protected Input malformedInput(java.nio.file.Path dir) throws IOException {
    String url = database(PEOPLE_TABLE,
        "INSERT INTO people VALUES (1, 39, 'State-gov', 'forty', NULL, NULL, NULL), (2, 50, 'Private', '', NULL, NULL, NULL), "
            + "(3, 20, 'Private', '38', NULL, NULL, NULL)");
    return new Input(config(url), 2, 1);
  }

  private SourceStage stage(Map<String, Object> config) {
    return stage(new JdbcPlugin(), config);
  }

  private SourceStage stage(JdbcPlugin plugin, Map<String, Object> config) {
    return plugin.create(plugin.configSpec().validate("sources.train", config), new SourceContext("train", 2, dir, "pipeline.yaml"));
  }

  @Test
  void rowsTakeTheirKeysAsIdsAndTheirValuesInTheSchemasTypes() throws Exception {
    Read read = read(smallInput(dir));
    List<Record> rows = new ArrayList<>(read.records());
    rows.sort(Comparator.comparingLong(Record::id));
    assertEquals(List.of(RecordIds.of(0, 0, 1), RecordIds.of(0, 0, 2), RecordIds.of(0, 0, 7)), rows.stream().map(Record::id).toList());
    Record first = rows.get(0);
    assertEquals(39.0, PEOPLE.value(first, "age"));
    assertEquals(40.0, PEOPLE.value(first, "hours"), "numeric text is parsed");
    assertEquals("2024-03-01", PEOPLE.value(first, "joined"), "a date is ISO-8601 text");
    assertEquals(null, PEOPLE.value(rows.get(1), "job"), "null is missing");
    assertTrue(Double.isNaN((Double) PEOPLE.value(rows.get(2), "age")), "null is missing");
    assertEquals(40.0, PEOPLE.value(rows.get(2), "hours"), "text with spaces around a number");
  }

  @Test
  void aValueItsColumnCannotTakeIsADeadLetterWithTheKey() throws Exception {
    Read read = read(malformedInput(dir));
    Rejected r = read.rejected().get(0);
    assertEquals(1, r.line(), "the key is the dead letter's line");
    assertTrue(r.file().endsWith(" table people") && r.file().startsWith("jdbc:h2:mem:"), r.file());
    assertEquals("column 'hours': 'forty' is not a number", r.reason());
    assertTrue(r.raw().contains("hours=forty") && r.raw().contains("id=1"), r.raw());
    assertTrue(read.records().stream().anyMatch(x -> Double.isNaN((Double) PEOPLE.value(x, "hours"))), "blank text is missing");
  }

  @Test
  void theSchemaIsInferredFromTheColumnsButTheKeyAndBinaryOnes() throws Exception {
    SourceStage stage = stage(config(database(PEOPLE_TABLE)));
    Schema inferred = stage.inferSchema(0).orElseThrow();
    assertEquals(List.of(Column.numeric("age"), Column.categorical("job"), Column.categorical("hours"), Column.categorical("joined"),
        Column.categorical("vip")), inferred.columns());
  }

  @Test
  void partitionedReadsGiveEveryRowOnce() throws Exception {
    StringBuilder insert = new StringBuilder("INSERT INTO people (id, age, hours) VALUES ");
    for (int i = 0; i <= 100; i++) {
      insert.append(i == 0 ? "" : ", ").append("(").append(i * 3).append(", ").append(i).append(", '1')");
    }
    for (int partitions : new int[] {1, 3, 7}) {
      Read read = read(new Input(config(database(PEOPLE_TABLE, insert.toString()), "partitions", partitions), 101, 0));
      assertEquals(101, read.records().size(), partitions + " partitions");
      assertEquals(101, read.records().stream().map(Record::id).distinct().count());
      assertEquals(300, read.records().stream().mapToLong(r -> RecordIds.line(r.id())).max().orElseThrow(), "the largest key is read");
    }
  }

  @Test
  void withoutAKeyTheRowsAreNumberedByOneReader() throws Exception {
    String url = database(PEOPLE_TABLE, "INSERT INTO people (id, age) VALUES (10, 1), (20, 2), (30, 3)");
    Map<String, Object> config = config(url);
    config.remove("keyColumn");
    Read read = read(new Input(config, 3, 0));
    assertEquals(List.of(1L, 2L, 3L), read.records().stream().map(r -> RecordIds.line(r.id())).sorted().toList());
    config.put("partitions", 2);
    ConfigException e = assertThrows(ConfigException.class, () -> stage(config));
    assertEquals("sources.train: partitionColumn and partitions need a keyColumn (the row ids of rows read side by side)", e.getMessage());
  }

  @Test
  void keysMustBeUniqueWholeAndPresent() throws Exception {
    String dup = database(PEOPLE_TABLE, "INSERT INTO people (id, age) VALUES (1, 1), (1, 2), (2, 3)");
    ConfigException e = assertThrows(ConfigException.class, () -> stage(config(dup)).checkSchema(PEOPLE));
    assertTrue(e.getMessage().contains("keyColumn 'id' of jdbc:h2:mem:") && e.getMessage().contains("1 keys occur more than once"), e.getMessage());
    String nulls = database(PEOPLE_TABLE, "INSERT INTO people (id, age) VALUES (1, 1), (NULL, 2)");
    e = assertThrows(ConfigException.class, () -> stage(config(nulls)).checkSchema(PEOPLE));
    assertTrue(e.getMessage().endsWith("1 rows have no key (null); every row needs one to have an id"), e.getMessage());
    String text = database(PEOPLE_TABLE);
    e = assertThrows(ConfigException.class, () -> stage(config(text, "keyColumn", "job")).checkSchema(PEOPLE));
    assertTrue(e.getMessage().endsWith("keyColumn 'job' of " + stage(config(text)).locations().get(0)
        + " is CHARACTER VARYING; it must be a whole-number column (integer, bigint)"), e.getMessage());
  }

  @Test
  void aMissingTableOrColumnIsNamedBeforeTheRun() throws Exception {
    String url = database(PEOPLE_TABLE);
    ConfigException e = assertThrows(ConfigException.class, () -> stage(config(url, "table", "peeple")).checkSchema(PEOPLE));
    assertTrue(e.getMessage().startsWith("source 'train': cannot read table peeple from jdbc:h2:mem:"), e.getMessage());
    assertTrue(e.getMessage().contains("Table \"peeple\" not found; SQL statement: SELECT") && e.getMessage().endsWith("(check sources.train.table)"), e.getMessage());
    Schema extra = new Schema(List.of(Column.numeric("age"), Column.numeric("salary")));
    e = assertThrows(ConfigException.class, () -> stage(config(url)).checkSchema(extra));
    assertTrue(e.getMessage().endsWith(" table people has no column 'salary' (its columns: id, age, job, hours, joined, vip, photo)"),
        e.getMessage());
    Schema date = new Schema(List.of(Column.numeric("joined")));
    e = assertThrows(ConfigException.class, () -> stage(config(url)).checkSchema(date));
    assertEquals("source 'train': column 'joined' is DATE in the database, which Beamline cannot read as numeric; declare it categorical "
        + "(read as ISO-8601 text) and make features of it with the datetime step", e.getMessage());
  }

  @Test
  void aQueryIsReadLikeATable() throws Exception {
    String url = database(PEOPLE_TABLE, "INSERT INTO people (id, age, job) VALUES (1, 30, 'a'), (2, 40, 'b'), (3, 50, 'c')");
    Map<String, Object> config = config(url, "query", "SELECT id, age * 2 AS age, job FROM people WHERE age > 35");
    config.remove("table");
    Schema schema = new Schema(List.of(Column.numeric("age"), Column.categorical("job")));
    Read read = read(new Input(config, 2, 0), schema);
    assertEquals(List.of(80.0, 100.0), read.records().stream().map(r -> (Double) schema.value(r, "age")).sorted().toList());
    assertEquals(List.of(url + " query"), stage(config).locations());
  }

  @Test
  void credentialsComeFromTheEnvironmentAndNeverFromTheUrl() {
    Map<String, Object> config = config("jdbc:h2:mem:x", "passwordEnv", "DB_PASSWORD");
    ConfigException e = assertThrows(ConfigException.class, () -> stage(JdbcPlugin.withEnvironment(Map.of()), config));
    assertEquals("sources.train.passwordEnv: the environment variable DB_PASSWORD is not set", e.getMessage());
    config.put("password", "hunter2");
    e = assertThrows(ConfigException.class, () -> stage(config));
    assertEquals("sources.train: give password or passwordEnv, not both", e.getMessage());
    e = assertThrows(ConfigException.class, () -> stage(config("jdbc:postgresql://db:5432/x?user=a&password=hunter2")));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().startsWith("sources.train.url holds a password"), e.getMessage());
    assertThrows(ConfigException.class, () -> stage(config("jdbc:postgresql://a:hunter2@db:5432/x")));
    assertEquals("****", new JdbcPlugin().configSpec().validate("sources.train", Map.of("url", "jdbc:h2:mem:x", "table", "t", "password",
        "hunter2")).displayValues().get("password"));
  }

  @Test
  void aConnectionErrorNamesTheServerAndTheUserButNotThePassword() {
    Map<String, Object> config = config("jdbc:postgresql://127.0.0.1:1/sales", "user", "ann", "password", "hunter2");
    ConfigException e = assertThrows(ConfigException.class, () -> stage(config).checkSchema(PEOPLE));
    assertTrue(e.getMessage().startsWith("source 'train': cannot connect to database sales at 127.0.0.1:1 as user 'ann': "), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void timestampsAreIsoTextAUtcOneWithZ() throws Exception {
    String url = database("CREATE TABLE events (id INT, at TIMESTAMP, atz TIMESTAMP WITH TIME ZONE, t TIME)",
        "INSERT INTO events VALUES (1, TIMESTAMP '2024-03-01 12:30:00', TIMESTAMP WITH TIME ZONE '2024-03-01 12:30:00+02:00', TIME '08:15:00')");
    Map<String, Object> config = config(url, "table", "events");
    Schema schema = new Schema(List.of(Column.categorical("at"), Column.categorical("atz"), Column.categorical("t")));
    Record r = read(new Input(config, 1, 0), schema).records().get(0);
    assertEquals("2024-03-01T12:30:00", schema.value(r, "at"));
    assertEquals("2024-03-01T10:30:00Z", schema.value(r, "atz"));
    assertEquals("08:15:00", schema.value(r, "t"));
  }
}
