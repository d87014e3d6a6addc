package dev.beamline.plugins.jdbc;

import dev.beamline.plugins.jdbc.JdbcColumns.Binding;
import dev.beamline.plugins.jdbc.JdbcColumns.Kind;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.values.KV;

/**
 * One database row read into a record of the schema (the key on the left), or the reason it cannot be (on the right): a
 * value its column cannot take, named with the column and the row's key. The columns are bound by name on the first row
 * a worker reads.
 */
final class JdbcRows implements JdbcIO.RowMapper<KV<Record, Rejected>> {
  private static final long serialVersionUID = 1L;

  private final JdbcSettings settings;
  private final Schema schema;
  private final String idColumn;
  private final int ordinal;
  private transient Binding binding;

  JdbcRows(JdbcSettings settings, Schema schema, String idColumn, int ordinal) {
    this.settings = settings;
    this.schema = schema;
    this.idColumn = idColumn;
    this.ordinal = ordinal;
  }

  @Override
  public KV<Record, Rejected> mapRow(ResultSet rs) throws Exception {
    if (binding == null) {
      binding = JdbcColumns.bind(schema, rs.getMetaData(), idColumn, settings);
    }
    long key = rs.getLong(binding.key());
    if (rs.wasNull() || key < 0 || key >= (1L << 40)) {
      return rejected(rs, Math.max(key, 0), "keyColumn '" + idColumn + "': " + (rs.wasNull() ? "null" : key)
          + " is not a row id (a whole number from 0 to 2^40 - 1)");
    }
    double[] numbers = new double[schema.numericCount()];
    String[] texts = new String[schema.textCount()];
    for (int i = 0; i < binding.index().length; i++) {
      Column c = schema.columns().get(i);
      int slot = schema.slotAt(i);
      try {
        if (c.type() == ColumnType.NUMERIC) {
          String problem = readNumber(rs, binding.index()[i], binding.kinds()[i], numbers, slot);
          if (problem != null) {
            return rejected(rs, key, "column '" + c.name() + "': " + problem);
          }
        } else {
          texts[slot] = readText(rs, binding.index()[i], binding.kinds()[i]);
        }
      } catch (SQLException e) { // a value the driver cannot give as the column's kind: the row's dead letter says so
        return rejected(rs, key, "column '" + c.name() + "': " + settings.scrub(e.getMessage()));
      }
    }
    return KV.of(new Record(RecordIds.of(ordinal, 0, key), numbers, texts, null), null);
  }

  /** Reads a numeric column's value into {@code numbers[slot]} (NaN when null or blank text); the reason it cannot, or null. */
  private static String readNumber(ResultSet rs, int column, Kind kind, double[] numbers, int slot) throws SQLException {
    switch (kind) {
      case NUMBER -> {
        double v = rs.getDouble(column);
        numbers[slot] = rs.wasNull() ? Double.NaN : v;
      }
      case BOOLEAN -> {
        boolean v = rs.getBoolean(column);
        numbers[slot] = rs.wasNull() ? Double.NaN : v ? 1 : 0;
      }
      default -> {
        String text = rs.getString(column);
        if (text == null || text.isBlank()) {
          numbers[slot] = Double.NaN;
        } else {
          try {
            numbers[slot] = new BigDecimal(text.strip()).doubleValue();
          } catch (NumberFormatException e) {
            return "'" + text + "' is not a number";
          }
        }
      }
    }
    return null;
  }

  /** A categorical column's value as text: dates and times in ISO-8601, booleans as true and false; null when null. */
  private static String readText(ResultSet rs, int column, Kind kind) throws SQLException {
    return switch (kind) {
      case BOOLEAN -> {
        boolean v = rs.getBoolean(column);
        yield rs.wasNull() ? null : Boolean.toString(v);
      }
      case DATE -> iso(rs.getObject(column, LocalDate.class), DateTimeFormatter.ISO_LOCAL_DATE);
      case TIME -> iso(rs.getObject(column, LocalTime.class), DateTimeFormatter.ISO_LOCAL_TIME);
      case TIMESTAMP -> iso(rs.getObject(column, LocalDateTime.class), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
      case TIMESTAMP_TZ -> {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        yield t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      }
      default -> rs.getString(column);
    };
  }

  private static String iso(java.time.temporal.TemporalAccessor value, DateTimeFormatter format) {
    return value == null ? null : format.format(value);
  }

  /** The dead letter of a row: the source, the location, the key as its line, the reason and the row as name=value pairs. */
  private KV<Record, Rejected> rejected(ResultSet rs, long key, String reason) throws SQLException {
    List<String> values = new ArrayList<>();
    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
      values.add(rs.getMetaData().getColumnLabel(i) + "=" + rs.getString(i));
    }
    return KV.of(null, new Rejected(settings.source, settings.location(), key, reason, String.join(", ", values)));
  }
}
