package dev.beamline.plugins.csv;

import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvReader;
import java.io.Reader;

/**
 * The CSV source's options.
 *
 * @param header {@code use}: the first line names the columns (matched to the schema by name);
 *     {@code skip}: the first line is a header but the schema's order applies; {@code none}: no header
 * @param delimiter the field delimiter
 * @param quote the quote character
 * @param trim whether to trim spaces around values
 * @param missing the tokens that mean "missing" (compared after trimming)
 * @param skipLines lines to skip before the header or the first row
 * @param comment lines starting with this character are skipped; 0 for none
 * @param charset the file encoding
 * @param multilineValues whether quoted values may hold line breaks (then each file is read whole by one
 *     worker; otherwise files are cut at line breaks into chunks read in parallel)
 * @param chunkBytes the size of a chunk read by one worker
 * @param replace per column, values read as other values (after trimming, before the missing-value check; a
 *     value replaced by null is missing): the same label written two ways, a sentinel that means missing
 */
record CsvOptions(String header, char delimiter, char quote, boolean trim, Set<String> missing, int skipLines,
    char comment, String charset, boolean multilineValues, long chunkBytes, Map<String, Map<String, String>> replace)
    implements Serializable {

  static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofStringList("path").asRequired().describedAs("file(s) to read, relative to the pipeline file"),
      ConfigKey.ofString("header").withDefault("use").withAllowed("use", "skip", "none")
          .describedAs("use: first line names the columns; skip: first line is ignored, schema order applies; none: no header"),
      ConfigKey.ofString("delimiter").withDefault(",").describedAs("field delimiter, one character (\\t for tab)"),
      ConfigKey.ofString("quote").withDefault("\"").describedAs("quote character"),
      ConfigKey.ofBoolean("trim").withDefault(true).describedAs("trim spaces around values"),
      ConfigKey.ofStringList("missingValues").withDefault(List.of("", "NA", "?"))
          .describedAs("tokens that mean a missing value"),
      ConfigKey.ofInt("skipLines").withDefault(0).describedAs("lines to skip at the top of each file"),
      ConfigKey.ofString("comment").describedAs("skip lines starting with this character"),
      ConfigKey.ofString("encoding").withDefault("UTF-8").describedAs("file encoding"),
      ConfigKey.ofBoolean("multilineValues").withDefault(false)
          .describedAs("quoted values may contain line breaks: read each file whole instead of in parallel chunks"),
      ConfigKey.ofLong("chunkBytes").withDefault(16L << 20).describedAs("bytes per chunk read by one worker"),
      ConfigKey.ofMap("replace").withDefault(Map.of())
          .describedAs("per column, values to read as others, e.g. {income: {'>50K.': '>50K'}}; replaced by null: missing"));

  static CsvOptions from(StageConfig config, String where) {
    String delimiter = config.getString("delimiter").equals("\\t") ? "\t" : config.getString("delimiter");
    if (delimiter.length() != 1) {
      throw new ConfigException(where + ".delimiter: must be one character, not '" + delimiter + "'");
    }
    String quote = config.getString("quote");
    if (quote.length() != 1) {
      throw new ConfigException(where + ".quote: must be one character, not '" + quote + "'");
    }
    String comment = config.getString("comment");
    if (comment != null && comment.length() != 1) {
      throw new ConfigException(where + ".comment: must be one character, not '" + comment + "'");
    }
    if (config.getLong("chunkBytes") < 1024) {
      throw new ConfigException(where + ".chunkBytes: must be at least 1024");
    }
    if (config.getInt("skipLines") < 0) {
      throw new ConfigException(where + ".skipLines: must not be negative");
    }
    try {
      Charset.forName(config.getString("encoding"));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + ".encoding: unknown encoding '" + config.getString("encoding") + "'");
    }
    return new CsvOptions(config.getString("header"), delimiter.charAt(0), quote.charAt(0), config.getBoolean("trim"),
        Set.copyOf(config.getStringList("missingValues")), config.getInt("skipLines"),
        comment == null ? 0 : comment.charAt(0), config.getString("encoding"), config.getBoolean("multilineValues"),
        config.getLong("chunkBytes"), replacements(config.getMap("replace"), where + ".replace"));
  }

  /** {@code {COLUMN: {VALUE: NEW, ...}, ...}}, every new value text or null. */
  private static Map<String, Map<String, String>> replacements(Map<String, Object> given, String where) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    given.forEach((column, values) -> {
      if (!(values instanceof Map<?, ?> m)) {
        throw new ConfigException(where + "." + column + ": give the values to replace, e.g. {'>50K.': '>50K'}");
      }
      Map<String, String> byValue = new LinkedHashMap<>();
      m.forEach((from, to) -> {
        if (to instanceof Map || to instanceof List) {
          throw new ConfigException(where + "." + column + "." + from + ": the new value is one value (or null for missing)");
        }
        byValue.put(String.valueOf(from), to == null ? null : String.valueOf(to));
      });
      out.put(column, java.util.Collections.unmodifiableMap(byValue));
    });
    return java.util.Collections.unmodifiableMap(out);
  }

  /**
   * The rows of {@code reader} under these options (FastCSV): empty lines and comment lines skipped, values
   * trimmed (spaces around quotes too) when {@code trim}, and rows of any width handed on, so that a row with
   * too many or too few fields becomes a dead letter with its line rather than stopping the read.
   */
  CsvReader<CsvRow> records(Reader reader) {
    CsvReader.CsvReaderBuilder b = CsvReader.builder()
        .fieldSeparator(delimiter)
        .quoteCharacter(quote)
        .skipEmptyLines(true)
        .allowExtraFields(true)
        .allowMissingFields(true)
        .trimWhitespacesAroundQuotes(trim);
    if (comment != 0) {
      b.commentStrategy(CommentStrategy.SKIP).commentCharacter(comment);
    }
    return b.build(new CsvRow.Handler(trim), reader);
  }

  boolean hasHeader() {
    return !header.equals("none");
  }

  /** Whether files may be cut at line-feed bytes: no line breaks inside values, and an ASCII-compatible encoding. */
  boolean chunked() {
    String cs = Charset.forName(charset).name().toUpperCase(java.util.Locale.ROOT);
    return !multilineValues && !cs.startsWith("UTF-16") && !cs.startsWith("UTF-32");
  }
}
