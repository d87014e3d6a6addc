package dev.beamline.features.steps;

import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.FittedStepFactory;
import dev.beamline.spi.feature.UnreadableValueException;
import dev.beamline.spi.feature.ValueType;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A date or time as features: its calendar parts (year, quarter, month, day of month, day of week, day of year,
 * hour, minute, days since 1970-01-01) in a time zone, each cyclic part either as its number or, with
 * {@code cyclic}, as the sine and cosine of its angle in its cycle (so that December lies next to January).
 * Reads text (ISO-8601, or a {@link DateTimeFormatter} pattern such as {@code yyyy/MM/dd}) or a number of
 * seconds or milliseconds since 1970-01-01T00:00Z. Stateless: nothing is fitted. A missing value gives missing
 * features; text that is not a date in the format is unreadable, and its row is rejected.
 */
public final class DateTimeStep implements FittedStep {
  private static final long serialVersionUID = 1L;

  /** The parts a step can write, in the order they are written. */
  public static final List<String> PARTS = List.of("year", "quarter", "month", "dayOfMonth", "dayOfWeek", "dayOfYear", "hour", "minute",
      "epochDay");
  /** The parts written when none are named. */
  public static final List<String> DEFAULT_PARTS = List.of("year", "month", "dayOfMonth", "dayOfWeek", "dayOfYear", "hour");

  /** Restores the step from config {@code format}, {@code timeZone}, {@code unit}, {@code parts}, {@code cyclic}. */
  public static final FittedStepFactory FACTORY = new FittedStepFactory() {
    @Override
    public String type() {
      return "datetime";
    }

    @Override
    public FittedStep restore(ValueType input, Map<String, Object> config, Map<String, Object> state) {
      return of(config);
    }
  };

  /**
   * The step a configuration describes.
   *
   * @throws IllegalArgumentException naming the key whose value is not allowed
   */
  public static DateTimeStep of(Map<String, Object> config) {
    List<String> parts = config.get("parts") instanceof List<?> l && !l.isEmpty() ? l.stream().map(String::valueOf).toList() : DEFAULT_PARTS;
    for (String p : parts) {
      if (!PARTS.contains(p)) {
        throw new IllegalArgumentException("datetime: parts: unknown part '" + p + "'; parts are " + PARTS);
      }
    }
    String unit = StepState.text(config, "unit", "seconds");
    if (!unit.equals("seconds") && !unit.equals("milliseconds")) {
      throw new IllegalArgumentException("datetime: unit: '" + unit + "' is not seconds or milliseconds");
    }
    String zone = StepState.text(config, "timeZone", "UTC");
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("datetime: timeZone: '" + zone + "' is not a time zone (e.g. UTC, Europe/Paris, +02:00)", e);
    }
    String format = StepState.text(config, "format", "iso");
    if (!format.equals("iso")) {
      try {
        formatter(format);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("datetime: format: '" + format + "' is not a date-time pattern (e.g. yyyy/MM/dd HH:mm): "
            + e.getMessage(), e);
      }
    }
    return new DateTimeStep(format, zone, unit.equals("milliseconds"), parts, StepState.bool(config, "cyclic", false));
  }

  private final String format;
  private final String zone;
  private final boolean millis;
  private final List<String> parts;
  private final boolean cyclic;
  /** The zone and the pattern's formatter (null for ISO-8601), made once per instance (the scoring server shares one). */
  private record Reading(ZoneId zone, DateTimeFormatter formatter) {}

  private transient volatile Reading reading;

  private DateTimeStep(String format, String zone, boolean millis, List<String> parts, boolean cyclic) {
    this.format = format;
    this.zone = zone;
    this.millis = millis;
    this.parts = List.copyOf(parts);
    this.cyclic = cyclic;
  }

  /** Whether a part is written as its sine and cosine: with {@code cyclic}, every part but year and epochDay. */
  private boolean asAngle(String part) {
    return cyclic && !part.equals("year") && !part.equals("epochDay");
  }

  @Override
  public ValueType outputType() {
    return ValueType.ENCODED;
  }

  @Override
  public int width() {
    int w = 0;
    for (String p : parts) {
      w += asAngle(p) ? 2 : 1;
    }
    return w;
  }

  @Override
  public List<String> featureNames(String column) {
    List<String> names = new ArrayList<>();
    for (String p : parts) {
      if (asAngle(p)) {
        names.add(column + "_" + p + "_sin");
        names.add(column + "_" + p + "_cos");
      } else {
        names.add(column + "_" + p);
      }
    }
    return names;
  }

  @Override
  public Object apply(Object value, float[] out, int offset) {
    ZonedDateTime t = read(value);
    int at = offset;
    for (String p : parts) {
      if (t == null) {
        out[at++] = Float.NaN;
        if (asAngle(p)) {
          out[at++] = Float.NaN;
        }
        continue;
      }
      double v = part(t, p);
      if (asAngle(p)) {
        double angle = 2 * Math.PI * (v - start(p)) / period(t, p);
        out[at++] = (float) Math.sin(angle);
        out[at++] = (float) Math.cos(angle);
      } else {
        out[at++] = (float) v;
      }
    }
    return null;
  }

  /** The value as a date-time in the step's zone, or null when missing. */
  private ZonedDateTime read(Object value) {
    Reading r = reading;
    if (r == null) {
      r = new Reading(ZoneId.of(zone), format.equals("iso") ? null : formatter(format));
      reading = r;
    }
    ZoneId zoneId = r.zone();
    DateTimeFormatter formatter = r.formatter();
    if (value == null || value instanceof Double d && d.isNaN()) {
      return null;
    }
    if (value instanceof Number n) {
      double x = n.doubleValue();
      Instant instant = millis ? Instant.ofEpochMilli((long) Math.floor(x)) : Instant.ofEpochSecond((long) Math.floor(x));
      return instant.atZone(zoneId);
    }
    String text = value.toString().trim();
    try {
      return atZone(formatter != null ? formatter.parseBest(text, ZonedDateTime::from, LocalDateTime::from, LocalDate::from) : iso(text),
          zoneId);
    } catch (DateTimeException e) {
      throw new UnreadableValueException("'" + text + "' is not a date" + (formatter == null
          ? " in ISO-8601 (2024-03-01, 2024-03-01T12:30:00, 2024-03-01 12:30:00+02:00)" : " in the format " + format));
    }
  }

  /**
   * A pattern's formatter, strict: a day the month does not have is an error, not the month's last day (as
   * java.time's default would make it); {@code yyyy} is read as a year of the common era.
   */
  private static DateTimeFormatter formatter(String pattern) {
    return new DateTimeFormatterBuilder().appendPattern(pattern).parseDefaulting(ChronoField.ERA, 1).toFormatter(Locale.ROOT)
        .withResolverStyle(ResolverStyle.STRICT);
  }

  /** ISO-8601: a date, or a date and time (a space in place of the T too) with an optional offset or zone. */
  private static TemporalAccessor iso(String text) {
    if (text.length() <= 10) {
      return LocalDate.parse(text);
    }
    String t = text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
    return DateTimeFormatter.ISO_DATE_TIME.parseBest(t, ZonedDateTime::from, LocalDateTime::from);
  }

  private static ZonedDateTime atZone(TemporalAccessor parsed, ZoneId zoneId) {
    if (parsed instanceof ZonedDateTime z) {
      return z.withZoneSameInstant(zoneId);
    }
    if (parsed instanceof LocalDateTime l) {
      return l.atZone(zoneId);
    }
    return ((LocalDate) parsed).atStartOfDay(zoneId);
  }

  private static double part(ZonedDateTime t, String p) {
    return switch (p) {
      case "year" -> t.getYear();
      case "quarter" -> (t.getMonthValue() - 1) / 3 + 1;
      case "month" -> t.getMonthValue();
      case "dayOfMonth" -> t.getDayOfMonth();
      case "dayOfWeek" -> t.getDayOfWeek().getValue(); // Monday 1 .. Sunday 7
      case "dayOfYear" -> t.getDayOfYear();
      case "hour" -> t.getHour();
      case "minute" -> t.getMinute();
      case "epochDay" -> t.getLong(ChronoField.EPOCH_DAY);
      default -> throw new IllegalStateException(p);
    };
  }

  /** A cyclic part's first value. */
  private static int start(String p) {
    return p.equals("hour") || p.equals("minute") ? 0 : 1;
  }

  /** A cyclic part's number of values: the month's and the year's own lengths for days. */
  private static double period(ZonedDateTime t, String p) {
    return switch (p) {
      case "quarter" -> 4;
      case "month" -> 12;
      case "dayOfMonth" -> t.toLocalDate().lengthOfMonth();
      case "dayOfWeek" -> 7;
      case "dayOfYear" -> t.toLocalDate().lengthOfYear();
      case "hour" -> 24;
      case "minute" -> 60;
      default -> throw new IllegalStateException(p);
    };
  }

  @Override
  public Map<String, Object> state() {
    return Map.of();
  }
}
