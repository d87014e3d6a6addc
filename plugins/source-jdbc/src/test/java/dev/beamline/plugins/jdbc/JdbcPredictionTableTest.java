package dev.beamline.plugins.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.PredictionTable;
import dev.beamline.spi.PredictionTable.Column;
import dev.beamline.spi.PredictionTable.Predictions;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.ColumnType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Predictions written back into a table of the source's database (in-memory H2; {@code JdbcSourceIT} uses PostgreSQL). */
class JdbcPredictionTableTest {
  private static final List<Column> COLUMNS = List.of(new Column("sex", ColumnType.CATEGORICAL), new Column("age", ColumnType.NUMERIC),
      new Column("label", ColumnType.NUMERIC), new Column("probability", ColumnType.NUMERIC));
  private final String url = "jdbc:h2:mem:predictions" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";

  private PredictionTable table(String keyColumn) {
    JdbcPlugin plugin = new JdbcPlugin();
    Map<String, Object> config = new java.util.HashMap<>(Map.of("url", url, "table", "people", "user", "sa"));
    if (keyColumn != null) {
      config.put("keyColumn", keyColumn);
    }
    return plugin.create(plugin.configSpec().validate("source", config), new SourceContext("input", 0, Path.of("."), "--input"))
        .predictionTable().orElseThrow();
  }

  /** Rows keyed 1..n, the probability {@code p + key / 10^6}. */
  private static Predictions predictions(String model, int n, double p) {
    List<Object[]> rows = new ArrayList<>();
    for (long k = 1; k <= n; k++) {
      rows.add(new Object[] {k, k % 2 == 0 ? "Male" : null, (double) k, k % 3 == 0 ? 1.0 : 0.0, p + k / 1e6});
    }
    return new Predictions(model, COLUMNS, rows.iterator());
  }

  private Object query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1);
    }
  }

  @Test
  void theTableIsMadeThenARerunReplacesItsRowsAndAnotherModelAddsItsOwn() throws Exception {
    PredictionTable table = table("id");
    assertEquals(2_500, table.write("scores", predictions("adult/3", 2_500, 0.25)), "three batches");
    assertEquals(2_500L, query("SELECT count(*) FROM scores"));
    assertEquals(0.25 + 7 / 1e6, query("SELECT probability FROM scores WHERE id = 7"));
    assertEquals(null, query("SELECT sex FROM scores WHERE id = 7"), "null stays null");

    assertEquals(2_500, table.write("scores", predictions("adult/3", 2_500, 0.5)));
    assertEquals(2_500L, query("SELECT count(*) FROM scores"), "the same model's rows are replaced, not added");
    assertEquals(0.5 + 7 / 1e6, query("SELECT probability FROM scores WHERE id = 7"));

    table.write("scores", predictions("adult/4", 10, 0.75));
    assertEquals(2_510L, query("SELECT count(*) FROM scores"), "another model's rows sit beside them");
    assertEquals("Male", query("SELECT sex FROM scores WHERE model = 'adult/4' AND id = 2"));
  }

  @Test
  void withoutAKeyColumnTheKeyIsTheRowNumber() throws Exception {
    table(null).write("scores", predictions("m", 3, 0));
    assertEquals(3L, query("SELECT max(beamline_row) FROM scores"));
  }

  @Test
  void aTableWithOtherColumnsOrAColumnNamedLikeTheKeyIsRefused() throws Exception {
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE other (id BIGINT, model VARCHAR, score DOUBLE PRECISION)");
    }
    ConfigException e = assertThrows(ConfigException.class, () -> table("id").write("other", predictions("m", 1, 0)));
    assertTrue(e.getMessage().startsWith("--output-table other (jdbc:h2:mem:") && e.getMessage().endsWith(": the table exists without the "
        + "column(s) sex, age, label, probability (it has id, model, score); name another table, or drop this one to have it made anew"),
        e.getMessage());
    Predictions keyed = new Predictions("m", List.of(new Column("id", ColumnType.NUMERIC)), List.<Object[]>of().iterator());
    e = assertThrows(ConfigException.class, () -> table("id").write("scores", keyed));
    assertTrue(e.getMessage().endsWith("the table's key column is id already; keep other columns"), e.getMessage());
  }
}
