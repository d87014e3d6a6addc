package dev.beamline.plugins.jsonl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.spi.beam.LineFiles.Parsed;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.math.BigDecimal;

/** One line of a JSON lines file read into a record of the schema, or the reason it cannot be. */
final class JsonRow {
  private JsonRow() {}

  static Parsed parse(ObjectMapper json, String text, Schema schema, long id) {
    JsonNode row;
    try {
      row = json.readTree(text);
    } catch (JsonProcessingException e) {
      return Parsed.rejected("not JSON: " + e.getOriginalMessage() + " at column " + e.getLocation().getColumnNr());
    }
    if (row == null || !row.isObject()) {
      return Parsed.rejected("not a JSON object but " + (row == null ? "nothing" : row.getNodeType().name().toLowerCase()));
    }
    double[] numbers = new double[schema.numericCount()];
    String[] texts = new String[schema.textCount()];
    for (int i = 0; i < schema.columns().size(); i++) {
      Column c = schema.columns().get(i);
      JsonNode v = row.get(c.name());
      int slot = schema.slotAt(i);
      boolean missing = v == null || v.isNull();
      if (!missing && v.isContainerNode()) {
        return Parsed.rejected("column '" + c.name() + "': " + (v.isArray() ? "an array" : "an object") + ", not a value");
      }
      switch (c.type()) {
        case NUMERIC -> {
          if (missing) {
            numbers[slot] = Double.NaN;
          } else if (v.isNumber()) {
            numbers[slot] = v.doubleValue();
          } else if (v.isTextual() && isDecimal(v.textValue())) {
            numbers[slot] = Double.parseDouble(v.textValue().trim());
          } else {
            return Parsed.rejected("column '" + c.name() + "': " + v + " is not a number");
          }
        }
        case CATEGORICAL -> texts[slot] = missing ? null : v.isTextual() ? v.textValue() : v.asText();
        default -> throw new IllegalStateException("a JSON lines source reads no " + c.type() + " column");
      }
    }
    return Parsed.row(new Record(id, numbers, texts, null));
  }

  /** Whether text is a plain decimal number (not NaN, Infinity or hexadecimal, which a JSON number cannot be either). */
  private static boolean isDecimal(String text) {
    try {
      new BigDecimal(text.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
