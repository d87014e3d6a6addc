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
      }
      fields[count++] = new String(buf, start, end - start);
    }

    @Override
    protected CsvRow buildRecord() {
      return new CsvRow(getStartingLineNumber(), Arrays.copyOf(fields, count));
    }
  }
}
