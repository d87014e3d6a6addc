package dev.beamline.plugins.parquet;

import dev.beamline.spi.data.ColumnType;

/**
 * The kinds of field values Beamline reads from a file's schema: numbers and decimals are numeric, booleans too (true is
 * 1); text categorical; dates, times and timestamps categorical as ISO-8601 text (a UTC timestamp with {@code Z}, a
 * local one without), which the {@code datetime} feature step reads. Nested, repeated and binary fields are unreadable.
 */
enum FieldKind {
  NUMBER, BOOLEAN, TEXT, DECIMAL, DATE, TIME, TIMESTAMP, LOCAL_TIMESTAMP, UNREADABLE;

  boolean temporal() {
    return this == DATE || this == TIME || this == TIMESTAMP || this == LOCAL_TIMESTAMP;
  }

  /** Whether a schema column of this type can be read from a field of this kind. */
  boolean reads(ColumnType type) {
    return switch (type) {
      case NUMERIC -> this == NUMBER || this == BOOLEAN || this == TEXT || this == DECIMAL; // text: parsed, bad rows dead-lettered
      case CATEGORICAL -> this != UNREADABLE;
      default -> false;
    };
  }

  /** The column type a field of this kind is inferred as, or null when it is not read. */
  ColumnType inferred() {
    return switch (this) {
      case NUMBER, DECIMAL -> ColumnType.NUMERIC;
      case UNREADABLE -> null;
      default -> ColumnType.CATEGORICAL;
    };
  }
}
