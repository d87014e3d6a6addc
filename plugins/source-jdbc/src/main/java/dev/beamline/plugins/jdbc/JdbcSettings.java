package dev.beamline.plugins.jdbc;

import dev.beamline.spi.config.ConfigException;
import java.io.Serializable;
import java.net.URI;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where a jdbc source reads and how it connects: the URL (never with credentials in it), the user and password
 * (the password only ever returned to the driver), the table or query, the key and partition columns.
 */
final class JdbcSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  final String source;
  final String url;
  final String driver;
  final String user;
  private final String password;
  final String table;
  final String query;
  final String keyColumn;
  final String partitionColumn;
  final int partitions;
  final int fetchSize;

  JdbcSettings(String source, String url, String driver, String user, String password, String table, String query, String keyColumn,
      String partitionColumn, int partitions, int fetchSize) {
    this.source = source;
    this.url = url;
    this.driver = driver;
    this.user = user;
    this.password = password;
    this.table = table;
    this.query = query;
    this.keyColumn = keyColumn;
    this.partitionColumn = partitionColumn;
    this.partitions = partitions;
    this.fetchSize = fetchSize;
  }

  String password() {
    return password;
  }

  /** What the source reads, as its dead letters and the run's inputs name it: the URL and the table, or "query". */
  String location() {
    return url + (table != null ? " table " + table : " query");
  }

  /** What every statement reads from, with an alias: the table, or the query as a derived table. */
  String from() {
    return (table != null ? table : "(" + query + ")") + " beamline_rows";
  }

  /** The column the row ids come from: the key column, or without one the row numbers the read query adds. */
  String idColumn() {
    return keyColumn != null ? keyColumn : ROW_NUMBER;
  }

  /**
   * The statement that reads every row (without a key column: one reader, ids numbered in the order the database
   * returns the rows, which SQL does not promise to keep from run to run).
   */
  String selectAll() {
    return keyColumn != null ? "SELECT * FROM " + from() : "SELECT row_number() OVER () AS " + ROW_NUMBER + ", beamline_rows.* FROM " + from();
  }

  /** A name as SQL text: as written when it is a plain identifier (the database folds its case as usual), else quoted. */
  static String sql(String name) {
    return name.matches("[A-Za-z_][A-Za-z0-9_]*") ? name : '"' + name.replace("\"", "\"\"") + '"';
  }

  static final String ROW_NUMBER = "beamline_row";

  /** The host, port and database of the URL, for messages: {@code database beamline at 127.0.0.1:5432}. */
  String server() {
    String rest = url.startsWith("jdbc:") ? url.substring(5) : url;
    int colon = rest.indexOf(':');
    try {
      URI uri = URI.create(rest.substring(colon + 1));
      if (uri.getHost() != null) {
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "(default)" : uri.getPath().substring(1);
        return "database " + db + " at " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
      }
    } catch (IllegalArgumentException e) {
      // not a hierarchical URL (jdbc:h2:mem:x): named whole below
    }
    return url;
  }

  /** The driver class JdbcIO loads on the workers: the one given, else the one registered for the URL here. */
  static String driverFor(String url, String given, String where) {
    if (given != null) {
      return given;
    }
    try {
      Driver d = DriverManager.getDriver(url);
      return d.getClass().getName();
    } catch (SQLException e) {
      throw new ConfigException(where + ".url: no JDBC driver on the class path takes " + url
          + " (PostgreSQL's comes with Beamline; for another database put its driver's jar on the class path and name its class in "
          + where + ".driver)");
    }
  }

  /**
   * A connection, or a {@link ConfigException} naming the server, the database and the user and what the driver said, never
   * the password.
   */
  Connection connect() {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    try {
      return DriverManager.getConnection(url, props);
    } catch (SQLException e) {
      throw new ConfigException("source '" + source + "': cannot connect to " + server() + (user == null ? "" : " as user '" + user + "'")
          + ": " + scrub(e.getMessage()) + " (check sources." + source + ".url, .user and .password or .passwordEnv)");
    }
  }

  /** A driver's message on one line, without the password should a driver ever quote it. */
  String scrub(String message) {
    String m = message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    return password == null || password.isEmpty() ? m : m.replace(password, "****");
  }

  @Override
  public String toString() {
    return location();
  }
}
