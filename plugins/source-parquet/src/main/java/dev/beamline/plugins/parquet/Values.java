package dev.beamline.plugins.parquet;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * A field's value, as either format's reader gives it (a {@code Number}, {@code Boolean}, {@code CharSequence},
 * {@code BigDecimal}, {@code LocalDate}, {@code LocalTime}, {@code Instant} or {@code LocalDateTime}), as a numeric or a
 * categorical column takes it.
 */
final class Values {
  private Values() {}

  /** As a number: NaN when null or blank text; throws NumberFormatException for text that is no number. */
  static double number(Object v) {
    if (v == null) {
      return Double.NaN;
    }
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (v instanceof CharSequence text) {
      String t = text.toString();
      return t.isBlank() ? Double.NaN : new BigDecimal(t.strip()).doubleValue();
    }
    return ((Number) v).doubleValue();
  }

  /** As text: numbers without a needless {@code .0}, dates and times in ISO-8601; null when null. */
  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? BigDecimal.valueOf(d).stripTrailingZeros().toPlainString() : Double.toString(d);
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof LocalTime t) {
      return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
    }
    if (v instanceof LocalDateTime t) {
      return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
    }
    if (v instanceof Instant || v instanceof LocalDate) {
      return v.toString();
    }
    return v.toString();
  }
}
