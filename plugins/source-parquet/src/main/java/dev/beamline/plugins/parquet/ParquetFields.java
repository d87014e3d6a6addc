package dev.beamline.plugins.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet file's top-level columns as {@link Fields} (any names: pandas' {@code education-num} too), and their values
 * as {@link Values} takes them: dates, times and timestamps (INT96 ones too, as Spark and Hive write them) to java.time,
 * decimals to BigDecimal, strings decoded as UTF-8. Nested groups, repeated fields and plain binary are not read.
 */
final class ParquetFields {
  private static final long JULIAN_DAY_OF_EPOCH = 2_440_588L;

  private ParquetFields() {}

  static Fields of(MessageType schema) {
    List<Fields.Field> out = new ArrayList<>();
    for (int i = 0; i < schema.getFieldCount(); i++) {
      Type t = schema.getType(i);
      FieldKind kind = kind(t);
      boolean whole = kind == FieldKind.NUMBER && t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.FLOAT
          && t.asPrimitiveType().getPrimitiveTypeName() != PrimitiveType.PrimitiveTypeName.DOUBLE;
      out.add(new Fields.Field(t.getName(), i, kind, t.toString().strip(), whole));
    }
    return new Fields(out);
  }

  static FieldKind kind(Type t) {
    if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
      return FieldKind.UNREADABLE;
    }
    PrimitiveType p = t.asPrimitiveType();
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    if (logical instanceof DecimalLogicalTypeAnnotation) {
      return FieldKind.DECIMAL;
    }
    return switch (p.getPrimitiveTypeName()) {
      case BOOLEAN -> FieldKind.BOOLEAN;
      case FLOAT, DOUBLE -> FieldKind.NUMBER;
      case INT96 -> FieldKind.TIMESTAMP;
      case INT32, INT64 -> logical == null || logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation ? FieldKind.NUMBER
          : logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? FieldKind.DATE
          : logical instanceof TimeLogicalTypeAnnotation ? FieldKind.TIME
          : logical instanceof TimestampLogicalTypeAnnotation ts ? (ts.isAdjustedToUTC() ? FieldKind.TIMESTAMP : FieldKind.LOCAL_TIMESTAMP)
          : FieldKind.UNREADABLE;
      case BINARY, FIXED_LEN_BYTE_ARRAY -> logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
          || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
          || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation ? FieldKind.TEXT : FieldKind.UNREADABLE;
    };
  }

  /** The value of field {@code i} of a row, or null when it is absent. */
  static Object value(Group row, int i, Type t) {
    if (row.getFieldRepetitionCount(i) == 0) {
      return null;
    }
    PrimitiveType p = t.asPrimitiveType();
    LogicalTypeAnnotation logical = p.getLogicalTypeAnnotation();
    switch (p.getPrimitiveTypeName()) {
      case BOOLEAN:
        return row.getBoolean(i, 0);
      case FLOAT:
        return row.getFloat(i, 0);
      case DOUBLE:
        return row.getDouble(i, 0);
      case INT96:
        ByteBuffer b = row.getInt96(i, 0).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = b.getLong();
        long epochDay = b.getInt() - JULIAN_DAY_OF_EPOCH;
        return Instant.ofEpochSecond(epochDay * 86_400L, nanosOfDay);
      case INT32:
      case INT64:
        long n = p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32 ? row.getInteger(i, 0) : row.getLong(i, 0);
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
          return BigDecimal.valueOf(n, d.getScale());
        }
        if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return LocalDate.ofEpochDay(n);
        }
        if (logical instanceof TimeLogicalTypeAnnotation time) {
          return LocalTime.ofNanoOfDay(nanos(n, time.getUnit()));
        }
        if (logical instanceof TimestampLogicalTypeAnnotation ts) {
          long nanos = nanos(n, ts.getUnit());
          Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
          return ts.isAdjustedToUTC() ? instant : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        return p.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT32 ? (Object) (int) n : (Object) n;
      default: // BINARY, FIXED_LEN_BYTE_ARRAY
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
          return new BigDecimal(new BigInteger(row.getBinary(i, 0).getBytes()), d.getScale());
        }
        return row.getString(i, 0);
    }
  }

  private static long nanos(long n, TimeUnit unit) {
    return switch (unit) {
      case MILLIS -> n * 1_000_000L;
      case MICROS -> n * 1_000L;
      case NANOS -> n;
    };
  }
}
