package dev.beamline.plugins.csv;

import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns the fields of one CSV row into a {@link Record} of a schema, or says why it cannot: wrong number of
 * fields, a value that is not a number in a numeric column.
 */
final class CsvRowParser implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The outcome for one row: a record, or the reason it was rejected. */
  record Result(Record record, String problem) {}

  private final Schema schema;
  private final int[] fieldOf;
  private final int expectedFields;
  private final Set<String> missing;
  /** Per schema column, the values read as others, or null. */
  private final Map<String, String>[] replace;
  /**
   * @param schema the schema
   * @param fieldOf for each schema column, the field index it is read from
   * @param expectedFields how many fields a well-formed row has
   * @param missing tokens meaning "missing"
   * @param replace per column name, values read as others (null: missing)
   */
  @SuppressWarnings("unchecked")
  CsvRowParser(Schema schema, int[] fieldOf, int expectedFields, Set<String> missing, Map<String, Map<String, String>> replace) {
    this.schema = schema;
    this.fieldOf = fieldOf.clone();
    this.expectedFields = expectedFields;
    this.missing = Set.copyOf(missing);
    this.replace = new Map[fieldOf.length];
    for (int c = 0; c < fieldOf.length; c++) {
      Map<String, String> r = replace.get(schema.columns().get(c).name());
      this.replace[c] = r == null || r.isEmpty() ? null : new HashMap<>(r);
    }
  }

  /** The text of a cell of schema column {@code column} as the source reads it. */
  String read(int column, String raw) {
    return cell(replace[column], missing, raw);
  }

  /** A cell's text replaced when {@code replace} (or null) says so, null when it means missing. */
  static String cell(Map<String, String> replace, Set<String> missing, String raw) {
    String v = replace != null && replace.containsKey(raw) ? replace.get(raw) : raw;
    return v == null || missing.contains(v) ? null : v;
  }

  Result parse(CsvRow row, long id) {
    if (row.fieldCount() != expectedFields) {
      return new Result(null, "expected " + expectedFields + " fields, found " + row.fieldCount());
    }
    double[] numbers = new double[schema.numericCount()];
    String[] texts = new String[schema.textCount()];
    for (int c = 0; c < fieldOf.length; c++) {
      Column column = schema.columns().get(c);
      String raw = row.field(fieldOf[c]);
      String value = read(c, raw);
      int slot = schema.slotAt(c);
      if (column.type() == ColumnType.NUMERIC) {
        if (value == null) {
          numbers[slot] = Double.NaN;
        } else {
          double v = parseNumber(value);
          if (Double.isNaN(v)) {
            return new Result(null, "column '" + column.name() + "' (field " + (fieldOf[c] + 1) + "): '" + raw
                + "' is not a number; fix the value, add it to missingValues, or declare the column categorical");
          }
          numbers[slot] = v;
        }
      } else if (column.type() == ColumnType.CATEGORICAL) {
        texts[slot] = value; // repeated values are one String already (CsvRow.Handler)
      } else {
        return new Result(null, "column '" + column.name() + "' is sparse; the CSV source reads numeric and categorical columns");
      }
    }
    return new Result(new Record(id, numbers, texts, null), null);
  }

  /** The number, or NaN when the text is not a finite number. */
  static double parseNumber(String raw) {
    if (raw.isEmpty()) {
      return Double.NaN;
    }
    char first = raw.charAt(0);
    if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
      return Double.NaN;
    }
    double fast = parseSimpleDecimal(raw);
    if (!Double.isNaN(fast)) {
      return fast;
    }
    try {
      double v = Double.parseDouble(raw);
      return Double.isInfinite(v) ? Double.NaN : v;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private static final double[] POWERS_OF_TEN = new double[23];

  static {
    double p = 1;
    for (int i = 0; i < POWERS_OF_TEN.length; i++) {
      POWERS_OF_TEN[i] = p;
      p *= 10;
    }
  }

  /**
   * The value of a plain decimal ({@code [+-]digits[.digits]}, at most 15 digits), or NaN for anything else
   * (which {@link Double#parseDouble} then reads). Most numeric CSV cells are such: their digits make an
   * integer below 2^53 and their scale a power of ten below 10^23, both exact doubles, so one IEEE division
   * rounds correctly and gives exactly what {@code Double.parseDouble} gives, in a fraction of its time.
   */
  static double parseSimpleDecimal(String s) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    char c = s.charAt(0);
    if (c == '-' || c == '+') {
      negative = c == '-';
      i++;
    }
    long mantissa = 0;
    int digits = 0;
    int scale = -1;
    boolean anyDigit = false;
    for (; i < n; i++) {
      c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        anyDigit = true;
        if (mantissa != 0 || c != '0') {
          digits++;
        }
        mantissa = mantissa * 10 + (c - '0');
        if (scale >= 0) {
          scale++;
        }
      } else if (c == '.' && scale < 0) {
        scale = 0;
      } else {
        return Double.NaN;
      }
    }
    if (!anyDigit || digits > 15 || scale > 22) {
      return Double.NaN;
    }
    double v = scale > 0 ? mantissa / POWERS_OF_TEN[scale] : (double) mantissa;
    return negative ? -v : v;
  }
}
