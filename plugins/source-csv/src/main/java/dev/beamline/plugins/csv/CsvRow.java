package dev.beamline.plugins.csv;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import java.util.Arrays;
import java.util.List;

/**
 * One row of a CSV file as the source reads it: the line it starts on and its fields, each trimmed when the source
 * trims. Made by {@link Handler}, FastCSV's callback for it.
 *
 * @param startingLineNumber the line the row starts on, from 1 (a quoted value may hold line breaks)
 * @param fields the fields
 */
record CsvRow(long startingLineNumber, String[] fields) {
  String field(int i) {
    return fields[i];
  }

  int fieldCount() {
    return fields.length;
  }

  List<String> fieldList() {
    return Arrays.asList(fields);
  }

  /**
   * Builds rows from FastCSV's character buffer. With {@code trim}, a field's spaces (every character up to U+0020, as
   * {@link String#trim()} counts them) are cut by index before its String is made: one String per field instead of
   * FastCSV's trimming modifier's two (the read and its trimmed copy), which the CSV source's profile showed as a third
   * of its parsing time.
   */
  static final class Handler extends AbstractBaseCsvCallbackHandler<CsvRow> {
    private final boolean trim;
    private String[] fields = new String[32];
    private int count;
    /** Per field index, the Strings already made for it, found by their characters; null once a field overflows. */
    private FieldValues[] seen = new FieldValues[32];

    Handler(boolean trim) {
      this.trim = trim;
    }

    @Override
    protected void handleBegin(long startingLineNumber) {
      count = 0;
    }

    @Override
    protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
      int start = offset;
      int end = offset + len;
      if (trim) {
        while (start < end && buf[start] <= ' ') {
          start++;
        }
        while (end > start && buf[end - 1] <= ' ') {
          end--;
        }
      }
      if (count == fields.length) {
        fields = Arrays.copyOf(fields, count * 2);
        seen = Arrays.copyOf(seen, count * 2);
      }
      fields[count] = value(count, buf, start, end - start);
      count++;
    }

    /**
     * The field's text: the String made before for the same characters in this field when there is one. A column of
     * a few hundred distinct values (categories, ages, counts) then costs a lookup per row instead of a new String
     * (and later its hash), and its repeated values share one instance; a column past {@link FieldValues#LIMIT}
     * distinct values (ids, amounts) goes back to a new String per row.
     */
    private String value(int field, char[] buf, int offset, int len) {
      FieldValues values = seen[field];
      if (values == null) {
        values = seen[field] = new FieldValues();
      }
      return values.full ? new String(buf, offset, len) : values.get(buf, offset, len);
    }

    @Override
    protected CsvRow buildRecord() {
      return new CsvRow(getStartingLineNumber(), Arrays.copyOf(fields, count));
    }
  }

  /** An open-addressing table of the Strings of one field, keyed by their characters. */
  static final class FieldValues {
    /** Distinct values kept per field; past it the field is taken for one of mostly distinct values. */
    static final int LIMIT = 10_000;
    private String[] table = new String[64];
    private int size;
    boolean full;

    String get(char[] buf, int offset, int len) {
      int hash = 0;
      for (int i = offset; i < offset + len; i++) {
        hash = 31 * hash + buf[i];
      }
      int mask = table.length - 1;
      for (int i = mix(hash) & mask; ; i = (i + 1) & mask) {
        String known = table[i];
        if (known == null) {
          String made = new String(buf, offset, len);
          if (++size > LIMIT) {
            full = true;
            table = null;
            return made;
          }
          table[i] = made;
          if (size * 2 > table.length) {
            grow();
          }
          return made;
        }
        if (known.hashCode() == hash && same(known, buf, offset, len)) {
          return known;
        }
      }
    }

    private static int mix(int hash) {
      return hash ^ (hash >>> 16);
    }

    private static boolean same(String known, char[] buf, int offset, int len) {
      if (known.length() != len) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (known.charAt(i) != buf[offset + i]) {
          return false;
        }
      }
      return true;
    }

    private void grow() {
      String[] old = table;
      table = new String[old.length * 2];
      int mask = table.length - 1;
      for (String v : old) {
        if (v != null) {
          int i = mix(v.hashCode()) & mask;
          while (table[i] != null) {
            i = (i + 1) & mask;
          }
          table[i] = v;
        }
      }
    }
  }
}
