package dev.beamline.plugins.jdbc;

import dev.beamline.spi.PredictionTable;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.ColumnType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Predictions written into a table of the source's database: created when missing (the key, {@code model}, the columns;
 * primary key model and key), then filled in batches, each batch one transaction that deletes the rows of the same model
 * and key before it inserts them, so that scoring the same rows with the same model again replaces them (plain SQL, no
 * dialect's upsert).
 */
final class JdbcPredictionTable implements PredictionTable {
  static final String MODEL = "model";
  static final int BATCH = 1_000;

  private final JdbcSettings settings;
  private final String key;

  /** The key column is the source's key column, or {@code beamline_row} (the row numbers) without one. */
  JdbcPredictionTable(JdbcSettings settings) {
    this.settings = settings;
    this.key = settings.idColumn();
  }

  @Override
  public long write(String table, Predictions p) {
    String where = "--output-table " + table + " (" + settings.server() + ")";
    for (Column col : p.columns()) {
      if (col.name().equalsIgnoreCase(key) || col.name().equalsIgnoreCase(MODEL)) {
        throw new ConfigException(where + ": the table's " + (col.name().equalsIgnoreCase(MODEL) ? "model" : "key") + " column is "
            + col.name() + " already; keep other columns");
      }
    }
    try (Connection c = settings.connect()) {
      prepare(c, table, key, p, where);
      return fill(c, table, key, p);
    } catch (SQLException e) {
      throw new ConfigException(where + ": " + settings.scrub(e.getMessage()));
    }
  }

  /** Creates the table, or checks that the one there has every column. */
  private static void prepare(Connection c, String table, String key, Predictions p, String where) throws SQLException {
    List<String> present = columns(c, table);
    List<String> needed = new ArrayList<>(List.of(key, MODEL));
    p.columns().forEach(col -> needed.add(col.name()));
    if (present == null) {
      StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(JdbcSettings.sql(table)).append(" (")
          .append(JdbcSettings.sql(key)).append(" BIGINT NOT NULL, ").append(MODEL).append(" VARCHAR(200) NOT NULL");
      for (Column col : p.columns()) {
        ddl.append(", ").append(JdbcSettings.sql(col.name())).append(col.type() == ColumnType.NUMERIC ? " DOUBLE PRECISION" : " VARCHAR");
      }
      ddl.append(", PRIMARY KEY (").append(MODEL).append(", ").append(JdbcSettings.sql(key)).append("))");
      try (Statement st = c.createStatement()) {
        st.execute(ddl.toString());
      }
      if (!c.getAutoCommit()) {
        c.commit();
      }
      return;
    }
    List<String> missing = needed.stream().filter(n -> present.stream().noneMatch(n::equalsIgnoreCase)).toList();
    if (!missing.isEmpty()) {
      throw new ConfigException(where + ": the table exists without the column(s) " + String.join(", ", missing)
          + " (it has " + String.join(", ", present) + "); name another table, or drop this one to have it made anew");
    }
  }

  /** The table's columns, or null when there is no such table. */
  private static List<String> columns(Connection c, String table) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false); // a failed statement must not end a transaction of ours: probe in one and roll it back
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + JdbcSettings.sql(table) + " WHERE 1 = 0")) {
      List<String> out = JdbcColumns.labels(rs.getMetaData());
      c.rollback();
      return out;
    } catch (SQLException e) {
      c.rollback();
      String state = e.getSQLState() == null ? "" : e.getSQLState();
      if (state.equals("42P01") || state.equals("42S02") || state.equals("42S04") || e.getMessage().toLowerCase(Locale.ROOT).contains("not found")) {
        return null; // PostgreSQL's undefined_table, the standard's base table not found
      }
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static long fill(Connection c, String table, String keyColumn, Predictions p) throws SQLException {
    String t = JdbcSettings.sql(table);
    String key = JdbcSettings.sql(keyColumn);
    List<String> names = new ArrayList<>(List.of(key, MODEL));
    p.columns().forEach(col -> names.add(JdbcSettings.sql(col.name())));
    String insert = "INSERT INTO " + t + " (" + String.join(", ", names) + ") VALUES ("
        + names.stream().map(n -> "?").collect(Collectors.joining(", ")) + ")";
    c.setAutoCommit(false);
    long written = 0;
    try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + t + " WHERE " + MODEL + " = ? AND " + key + " = ?");
        PreparedStatement add = c.prepareStatement(insert)) {
      int inBatch = 0;
      while (p.rows().hasNext()) {
        Object[] row = p.rows().next();
        delete.setString(1, p.model());
        delete.setLong(2, (Long) row[0]);
        delete.addBatch();
        add.setLong(1, (Long) row[0]);
        add.setString(2, p.model());
        for (int i = 0; i < p.columns().size(); i++) {
          Object v = row[i + 1];
          if (v == null) {
            add.setNull(i + 3, p.columns().get(i).type() == ColumnType.NUMERIC ? Types.DOUBLE : Types.VARCHAR);
          } else if (v instanceof Number n) {
            add.setDouble(i + 3, n.doubleValue());
          } else {
            add.setString(i + 3, v.toString());
          }
        }
        add.addBatch();
        if (++inBatch == BATCH) {
          written += commit(c, delete, add, inBatch);
          inBatch = 0;
        }
      }
      if (inBatch > 0) {
        written += commit(c, delete, add, inBatch);
      }
    }
    return written;
  }

  private static int commit(Connection c, PreparedStatement delete, PreparedStatement add, int rows) throws SQLException {
    delete.executeBatch();
    add.executeBatch();
    c.commit();
    return rows;
  }
}
