package dev.beamline.plugins.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.feature.FittedStep;
import dev.beamline.spi.feature.UnreadableValueException;
import dev.beamline.spi.feature.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DateTimeTest extends StandardFeatureContract {
  @Override
  String id() {
    return "datetime";
  }

  @Override
  protected Map<String, Object> config() {
    return Map.of("parts", List.of("year", "month", "dayOfWeek", "hour"));
  }

  @Override
  protected ValueType input() {
    return ValueType.TEXT;
  }

  @Override
  protected List<Object> sample() {
    return Arrays.asList("2024-03-01", "2024-03-01T12:30:00", null, "2023-12-31 23:59:59+02:00");
  }

  private static float[] apply(FittedStep step, Object value) {
    float[] out = new float[step.width()];
    step.apply(value, out, 0);
    return out;
  }

  @Test
  void writesTheCalendarPartsInTheStepsZone() {
    FittedStep step = restore(Map.of());
    assertEquals(List.of("d_year", "d_month", "d_dayOfWeek", "d_hour"), step.featureNames("d"));
    assertArrayEquals(new float[] {2024, 3, 5, 12}, apply(step, "2024-03-01T12:30:00")); // a Friday
    assertArrayEquals(new float[] {2024, 3, 5, 0}, apply(step, "2024-03-01"));
    // 23:59:59 at +02:00 is 21:59:59 in UTC, the step's zone.
    assertArrayEquals(new float[] {2023, 12, 7, 21}, apply(step, "2023-12-31 23:59:59+02:00"));
    float[] missing = apply(step, null);
    for (float f : missing) {
      assertTrue(Float.isNaN(f), "missing in, missing out");
    }
  }

  @Test
  void readsAPatternAZoneAndEpochNumbers() {
    FittedStep paris = feature().restore(ValueType.TEXT,
        Map.of("format", "dd/MM/yyyy HH:mm", "timeZone", "Europe/Paris", "parts", List.of("dayOfMonth", "hour")), Map.of());
    assertArrayEquals(new float[] {14, 9}, apply(paris, "14/07/2024 09:15"));
    FittedStep seconds = feature().restore(ValueType.NUMBER, Map.of("parts", List.of("year", "epochDay")), Map.of());
    assertArrayEquals(new float[] {2024, 19783}, apply(seconds, 1_709_294_400.0)); // 2024-03-01T12:00Z
    FittedStep millis = feature().restore(ValueType.NUMBER, Map.of("unit", "milliseconds", "parts", List.of("epochDay")), Map.of());
    assertArrayEquals(new float[] {19783}, apply(millis, 1_709_294_400_000.0));
  }

  @Test
  void cyclicPartsAreSineAndCosineOfTheirAngle() {
    FittedStep step = feature().restore(ValueType.TEXT, Map.of("cyclic", true, "parts", List.of("year", "month", "hour")), Map.of());
    assertEquals(List.of("t_year", "t_month_sin", "t_month_cos", "t_hour_sin", "t_hour_cos"), step.featureNames("t"));
    float[] jan = apply(step, "2024-01-01T00:00:00");
    assertArrayEquals(new float[] {2024, 0, 1, 0, 1}, jan, 1e-6f);
    float[] july = apply(step, "2024-07-01T18:00:00"); // month 7 of 12: half way; hour 18 of 24: three quarters
    assertArrayEquals(new float[] {2024, 0, -1, -1, 0}, july, 1e-6f);
  }

  @Test
  void textThatIsNotADateIsUnreadableAndNamesTheFormat() {
    UnreadableValueException e = assertThrows(UnreadableValueException.class, () -> apply(restore(Map.of()), "2024-13-45"));
    assertTrue(e.getMessage().contains("'2024-13-45' is not a date in ISO-8601"), e.getMessage());
    FittedStep slashes = feature().restore(ValueType.TEXT, Map.of("format", "yyyy/MM/dd"), Map.of());
    e = assertThrows(UnreadableValueException.class, () -> apply(slashes, "2024-03-01"));
    assertTrue(e.getMessage().contains("in the format yyyy/MM/dd"), e.getMessage());
    assertThrows(UnreadableValueException.class, () -> apply(slashes, "2023/02/29"), "a day the month does not have");
    assertArrayEquals(new float[] {2024, 2, 29, 4, 60, 0}, apply(slashes, "2024/02/29")); // a Thursday, the 60th day
  }

  @Test
  void aBadSettingIsNamedWhenThePipelineIsPlanned() {
    for (var bad : List.of(Map.<String, Object>of("parts", List.of("weekday")), Map.<String, Object>of("timeZone", "Mars/Olympus"),
        Map.<String, Object>of("format", "yyyy-MM-dd'"))) {
      ConfigException e = assertThrows(ConfigException.class,
          () -> feature().outputType(feature().configSpec().validate("features", bad), ValueType.TEXT));
      assertTrue(e.getMessage().startsWith("datetime: " + bad.keySet().iterator().next()), e.getMessage());
    }
  }
}
