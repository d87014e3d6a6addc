package dev.beamline.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.scoring.RawRows;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads the body of {@code POST /invocations} as MLflow's scoring server does: {@code application/json}
 * with exactly one of {@code dataframe_split}, {@code dataframe_records}, {@code instances} or
 * {@code inputs}, or {@code text/csv} with a header row; UTF-8 only. The same status codes and messages
 * for the same mistakes, so a client of {@code mlflow models serve} works unchanged.
 */
final class Invocations {
  static final Set<String> FORMATS = Set.of("dataframe_split", "dataframe_records", "instances", "inputs");
  private static final String REQUIRED = "The input must be a JSON dictionary with exactly one of the input fields "
      + "{'dataframe_split', 'dataframe_records', 'instances', 'inputs'}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Invocations() {}

  /** The rows of a request body. */
  static RawRows parse(String contentType, byte[] body) throws BadRequest {
    String mime = mediaType(contentType);
    checkUtf8(body);
    return switch (mime) {
      case "application/json" -> json(body);
      case "text/csv" -> csv(new String(body, StandardCharsets.UTF_8));
      default -> throw BadRequest.unsupportedMediaType("This predictor only supports the following content types: "
          + "Types: ['text/csv', 'application/json']. Got '" + contentType + "'.");
    };
  }

  /** The media type, after MLflow's checks of its parameters (only {@code charset=utf-8} is accepted). */
  static String mediaType(String contentType) throws BadRequest {
    if (contentType == null) {
      throw BadRequest.unsupportedMediaType("This predictor only supports the following content types: "
          + "Types: ['text/csv', 'application/json']. Got 'None'.");
    }
    String[] parts = contentType.split(";");
    List<String> unexpected = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].strip();
      int eq = p.indexOf('=');
      String key = eq < 0 ? p : p.substring(0, eq).strip();
      String value = eq < 0 ? "" : p.substring(eq + 1).strip();
      if (key.equals("charset")) {
        if (!value.toLowerCase(Locale.ROOT).equals("utf-8")) {
          throw BadRequest.unsupportedMediaType("The scoring server only supports UTF-8");
        }
      } else {
        unexpected.add(key);
      }
    }
    if (!unexpected.isEmpty()) {
      throw BadRequest.unsupportedMediaType("Unrecognized content type parameters: " + String.join(", ", unexpected) + ".");
    }
    return parts[0].strip().toLowerCase(Locale.ROOT);
  }

  /** Refuses a body that is not UTF-8, as MLflow does; an all-ASCII body (the usual one) needs no decoder. */
  private static void checkUtf8(byte[] body) throws BadRequest {
    boolean ascii = true;
    for (byte b : body) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return;
    }
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(body));
    } catch (CharacterCodingException e) {
      throw BadRequest.of("Invalid input. Ensure that input is a valid UTF-8 encoded string.");
    }
  }

  private static RawRows json(byte[] body) throws BadRequest {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw BadRequest.of("Invalid input. Ensure that input is a valid JSON formatted string. Error: '"
          + e.getOriginalMessage() + "' at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
    } catch (java.io.IOException e) {
      throw BadRequest.of("Invalid input. Ensure that input is a valid JSON formatted string. Error: '" + e.getMessage() + "'");
    }
    if (root == null || !root.isObject()) {
      throw BadRequest.of("Invalid input. " + REQUIRED + ". Received " + (root != null && root.isArray() ? "a list." : "unexpected input type."));
    }
    List<String> keys = new ArrayList<>();
    root.fieldNames().forEachRemaining(k -> {
      if (FORMATS.contains(k)) {
        keys.add(k);
      }
    });
    if (keys.size() != 1) {
      List<String> all = new ArrayList<>();
      root.fieldNames().forEachRemaining(all::add);
      throw BadRequest.of(REQUIRED + ". Received dictionary with input fields: " + all + ".");
    }
    String format = keys.get(0);
    JsonNode data = root.get(format);
    return switch (format) {
      case "dataframe_split" -> split(data);
      case "dataframe_records" -> records(data, format);
      default -> data.isObject() ? columnar(data, format) : records(data, format);
    };
  }

  private static RawRows split(JsonNode node) throws BadRequest {
    if (!node.isObject() || !node.path("columns").isArray() || !node.path("data").isArray()) {
      throw BadRequest.of("dataframe_split: give {\"columns\": [names...], \"data\": [[values...], ...]}");
    }
    List<String> columns = new ArrayList<>();
    node.get("columns").forEach(c -> columns.add(c.asText()));
    List<List<Object>> data = new ArrayList<>();
    int r = 0;
    for (JsonNode row : node.get("data")) {
      if (!row.isArray() || row.size() != columns.size()) {
        throw BadRequest.of("dataframe_split: row " + r + " has " + (row.isArray() ? row.size() : 0) + " values for "
            + columns.size() + " columns " + columns);
      }
      List<Object> values = new ArrayList<>(row.size());
      row.forEach(v -> values.add(value(v)));
      data.add(values);
      r++;
    }
    return RawRows.ofSplit(columns, data);
  }

  private static RawRows records(JsonNode node, String format) throws BadRequest {
    if (!node.isArray()) {
      throw BadRequest.of(format + ": give a list of rows, each an object of column to value");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    int r = 0;
    for (JsonNode row : node) {
      if (!row.isObject()) {
        throw BadRequest.of(format + ": row " + r + " is not an object of column to value (this model reads named columns)");
      }
      Map<String, Object> m = new LinkedHashMap<>();
      row.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
      rows.add(m);
      r++;
    }
    return RawRows.ofRecords(rows);
  }

  /** {@code {"age": [39, 50], "workclass": ["Private", null]}}: one list per column, all of one length. */
  private static RawRows columnar(JsonNode node, String format) throws BadRequest {
    List<String> columns = new ArrayList<>();
    int length = -1;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int n = e.getValue().isArray() ? e.getValue().size() : 1;
      if (length >= 0 && n != length) {
        throw BadRequest.of(format + ": column '" + e.getKey() + "' has " + n + " values, the columns before it " + length);
      }
      length = n;
      columns.add(e.getKey());
    }
    List<List<Object>> data = new ArrayList<>();
    for (int r = 0; r < Math.max(length, 0); r++) {
      List<Object> row = new ArrayList<>();
      for (String c : columns) {
        JsonNode v = node.get(c);
        row.add(value(v.isArray() ? v.get(r) : v));
      }
      data.add(row);
    }
    return RawRows.ofSplit(columns, data);
  }

  /** A JSON value as a cell: text, a number (Long or Double), a boolean, a list, a map, or null. */
  static Object value(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>();
      v.forEach(x -> l.add(value(x)));
      return l;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    v.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
    return m;
  }

  /** CSV with a header row, as pandas' read_csv reads it: an empty unquoted cell is a missing value. */
  private static RawRows csv(String text) throws BadRequest {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setNullString("").build();
    try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
      List<String> columns = parser.getHeaderNames();
      if (columns.isEmpty()) {
        throw BadRequest.of("Failed to parse input as a Pandas DataFrame. The CSV body has no header row");
      }
      List<List<Object>> data = new ArrayList<>();
      for (CSVRecord r : parser) {
        if (r.size() != columns.size()) {
          throw BadRequest.of("Failed to parse input as a Pandas DataFrame. Line " + parser.getCurrentLineNumber() + " has "
              + r.size() + " fields for " + columns.size() + " columns");
        }
        List<Object> row = new ArrayList<>(r.size());
        for (int i = 0; i < r.size(); i++) {
          row.add(r.get(i));
        }
        data.add(row);
      }
      return RawRows.ofSplit(columns, data);
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      throw BadRequest.of("Failed to parse input as a Pandas DataFrame. " + e.getMessage());
    }
  }
}
