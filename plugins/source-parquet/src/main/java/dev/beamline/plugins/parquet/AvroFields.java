package dev.beamline.plugins.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;

/**
 * An Avro record schema's fields as {@link Fields} (an optional field is a union with null), and their values as
 * {@link Values} takes them: dates, times and timestamps from their logical types, decimals from their bytes.
 */
final class AvroFields {
  private AvroFields() {}

  static Fields of(Schema record) {
    List<Fields.Field> out = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      Schema s = nonNull(f.schema());
      boolean whole = s != null && (s.getType() == Schema.Type.INT || s.getType() == Schema.Type.LONG) && s.getLogicalType() == null;
      out.add(new Fields.Field(f.name(), f.pos(), s == null ? FieldKind.UNREADABLE : kind(s), f.schema().toString(), whole));
    }
    return new Fields(out);
  }

  /** The schema of an optional field's value (a union's one non-null branch), the schema itself if not a union; null for other unions. */
  static Schema nonNull(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    List<Schema> branches = schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
    return branches.size() == 1 ? branches.get(0) : null;
  }

  private static FieldKind kind(Schema s) {
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.Decimal) {
      return FieldKind.DECIMAL;
    }
    if (logical != null) {
      switch (logical.getName()) {
        case "date": return FieldKind.DATE;
        case "time-millis", "time-micros": return FieldKind.TIME;
        case "timestamp-millis", "timestamp-micros": return FieldKind.TIMESTAMP;
        case "local-timestamp-millis", "local-timestamp-micros": return FieldKind.LOCAL_TIMESTAMP;
        default: break; // another logical type: read as its underlying type
      }
    }
    return switch (s.getType()) {
      case INT, LONG, FLOAT, DOUBLE -> FieldKind.NUMBER;
      case BOOLEAN -> FieldKind.BOOLEAN;
      case STRING, ENUM -> FieldKind.TEXT;
      default -> FieldKind.UNREADABLE;
    };
  }

  /** A value as {@link Values} takes it: logical types to java.time and BigDecimal, the rest as read. */
  static Object value(Object v, Schema fieldSchema) {
    if (v == null) {
      return null;
    }
    Schema s = nonNull(fieldSchema);
    LogicalType logical = s == null ? null : s.getLogicalType();
    if (logical == null) {
      return v;
    }
    if (logical instanceof LogicalTypes.Decimal d) {
      byte[] bytes;
      if (v instanceof ByteBuffer b) {
        bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
      } else {
        bytes = ((GenericFixed) v).bytes();
      }
      return new BigDecimal(new BigInteger(bytes), d.getScale());
    }
    long n = ((Number) v).longValue();
    return switch (logical.getName()) {
      case "date" -> LocalDate.ofEpochDay(n);
      case "time-millis" -> LocalTime.ofNanoOfDay(n * 1_000_000L);
      case "time-micros" -> LocalTime.ofNanoOfDay(n * 1_000L);
      case "timestamp-millis" -> Instant.ofEpochMilli(n);
      case "timestamp-micros" -> Instant.EPOCH.plus(n, ChronoUnit.MICROS);
      case "local-timestamp-millis" -> LocalDateTime.ofInstant(Instant.ofEpochMilli(n), ZoneOffset.UTC);
      case "local-timestamp-micros" -> LocalDateTime.ofInstant(Instant.EPOCH.plus(n, ChronoUnit.MICROS), ZoneOffset.UTC);
      default -> v;
    };
  }
}
