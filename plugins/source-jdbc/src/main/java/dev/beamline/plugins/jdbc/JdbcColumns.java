package dev.beamline.plugins.jdbc;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Schema;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a query's columns map to the schema: which result column each schema column reads, and as what kind of SQL
 * value. Numbers and booleans are numeric (true is 1), text, dates and times categorical (dates and times as
 * ISO-8601 text, which the {@code datetime} feature step reads); binary, array and structured columns are not read.
 */
final class JdbcColumns {
  /** The SQL values Beamline reads. */
  enum Kind {
    NUMBER, BOOLEAN, TEXT, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, UNREADABLE;

    /** The kind of a result column (PostgreSQL's driver reports timestamptz as TIMESTAMP: its type name tells). */
    static Kind of(ResultSetMetaData meta, int column) throws SQLException {
      Kind kind = of(meta.getColumnType(column));
      String name = meta.getColumnTypeName(column).toLowerCase(java.util.Locale.ROOT);
      return kind == TIMESTAMP && (name.equals("timestamptz") || name.contains("with time zone")) ? TIMESTAMP_TZ : kind;
    }

    static Kind of(int sqlType) {
      return switch (sqlType) {
        case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC,
            Types.DECIMAL -> NUMBER;
        case Types.BIT, Types.BOOLEAN -> BOOLEAN;
        case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB,
            Types.OTHER -> TEXT; // OTHER: PostgreSQL's uuid, json, enums, read as their text
        case Types.DATE -> DATE;
        case Types.TIME, Types.TIME_WITH_TIMEZONE -> TIME;
        case Types.TIMESTAMP -> TIMESTAMP;
        case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
        default -> UNREADABLE;
      };
    }

    /** Whether a schema column of this type can be read from a SQL value of this kind. */
    boolean reads(ColumnType type) {
      return switch (type) {
        case NUMERIC -> this == NUMBER || this == BOOLEAN || this == TEXT; // text: parsed row by row, bad rows dead-lettered
        case CATEGORICAL -> this != UNREADABLE;
        default -> false;
      };
    }
  }

  /**
   * The schema's columns bound to a result's.
   *
   * @param index the 1-based result column each schema column reads
   * @param kinds the SQL kind of each
   * @param key the 1-based result column of the row id
   */
  record Binding(int[] index, Kind[] kinds, int key) {}

  private JdbcColumns() {}

  /** The 1-based index of a column in a result: its exact name, else its only case-insensitive match. */
  static Optional<Integer> find(ResultSetMetaData meta, String name) throws SQLException {
    int match = -1;
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      String label = meta.getColumnLabel(i);
      if (label.equals(name)) {
        return Optional.of(i);
      }
      if (label.equalsIgnoreCase(name)) {
        match = match == -1 ? i : -2;
      }
    }
    return match > 0 ? Optional.of(match) : Optional.empty();
  }

  static List<String> labels(ResultSetMetaData meta) throws SQLException {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      out.add(meta.getColumnLabel(i));
    }
    return out;
  }

  /**
   * Binds the schema to a result's columns, or says which column is absent or of a kind its type cannot read.
   *
   * @param idColumn the result column the row ids come from
   */
  static Binding bind(Schema schema, ResultSetMetaData meta, String idColumn, JdbcSettings where) throws SQLException {
    int[] index = new int[schema.columns().size()];
    Kind[] kinds = new Kind[index.length];
    for (int i = 0; i < index.length; i++) {
      Column c = schema.columns().get(i);
      int at = find(meta, c.name()).orElseThrow(() -> new ConfigException("source '" + where.source + "': " + where.location()
          + " has no column '" + c.name() + "' (its columns: " + String.join(", ", labelsOrNone(meta)) + ")"));
      Kind kind = Kind.of(meta, at);
      if (!kind.reads(c.type())) {
        throw new ConfigException("source '" + where.source + "': column '" + c.name() + "' is " + meta.getColumnTypeName(at)
            + " in the database, which Beamline cannot read as " + c.type().name().toLowerCase()
            + (kind == Kind.DATE || kind == Kind.TIME || kind == Kind.TIMESTAMP || kind == Kind.TIMESTAMP_TZ
                ? "; declare it categorical (read as ISO-8601 text) and make features of it with the datetime step"
                : kind == Kind.UNREADABLE ? "; leave it out of the schema or cast it to text or a number in a query" : ""));
      }
      index[i] = at;
      kinds[i] = kind;
    }
    int key = find(meta, idColumn).orElseThrow(() -> new ConfigException("source '" + where.source + "': " + where.location()
        + " has no column '" + idColumn + "' (sources." + where.source + ".keyColumn; its columns: " + String.join(", ", labelsOrNone(meta))
        + ")"));
    return new Binding(index, kinds, key);
  }

  private static List<String> labelsOrNone(ResultSetMetaData meta) {
    try {
      return labels(meta);
    } catch (SQLException e) {
      return List.of("?");
    }
  }

  /**
   * The schema of a result's columns but the id's and those it does not name: numbers numeric, all else Beamline reads
   * categorical (booleans too, as {@code true} and {@code false}).
   */
  static Schema infer(ResultSetMetaData meta, String idColumn) throws SQLException {
    List<Column> columns = new ArrayList<>();
    int id = find(meta, idColumn).orElse(-1);
    for (int i = 1; i <= meta.getColumnCount(); i++) {
      Kind kind = Kind.of(meta, i);
      if (i == id || kind == Kind.UNREADABLE) {
        continue;
      }
      columns.add(kind == Kind.NUMBER ? Column.numeric(meta.getColumnLabel(i)) : Column.categorical(meta.getColumnLabel(i)));
    }
    return new Schema(columns);
  }
}
