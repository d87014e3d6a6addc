package dev.beamline.plugins.jsonl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.LineFiles;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Schema;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;

/** Reads JSON lines files (see {@link JsonLinesPlugin}), each file by one worker, line by line ({@link LineFiles}). */
final class JsonLinesSource implements SourceStage {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> files;
  private final String name;
  private final int ordinal;

  JsonLinesSource(List<String> files, SourceContext context) {
    this.files = List.copyOf(files);
    this.name = context.name();
    this.ordinal = context.ordinal();
  }

  @Override
  public List<Path> inputs() {
    return files.stream().map(Path::of).toList();
  }

  /**
   * The schema of the rows' top-level keys, in the order they are first seen: numeric when every value a key has
   * is a JSON number, else categorical; keys whose values are objects or arrays are not columns.
   */
  @Override
  public Optional<Schema> inferSchema(int sampleRows) throws IOException {
    Map<String, Boolean> numeric = new LinkedHashMap<>();
    Map<String, Boolean> nested = new LinkedHashMap<>();
    int rows = 0;
    for (String file : files) {
      try (BufferedReader reader = LineFiles.open(file, name)) {
        String text;
        while ((text = reader.readLine()) != null && (sampleRows <= 0 || rows < sampleRows)) {
          JsonNode row = text.isBlank() ? null : parseOrNull(text);
          if (row == null || !row.isObject()) {
            continue; // a malformed row is reported when the data is read
          }
          rows++;
          for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isContainerNode()) {
              nested.put(e.getKey(), true);
            } else if (!v.isNull()) {
              numeric.merge(e.getKey(), v.isNumber(), Boolean::logicalAnd);
            } else {
              numeric.putIfAbsent(e.getKey(), true);
            }
          }
        }
      }
    }
    nested.keySet().forEach(numeric::remove);
    if (numeric.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Schema(numeric.entrySet().stream()
        .map(e -> e.getValue() ? Column.numeric(e.getKey()) : Column.categorical(e.getKey())).toList()));
  }

  @Override
  public void checkSchema(Schema schema) {
    for (Column c : schema.columns()) {
      if (c.type() == ColumnType.SPARSE) {
        throw new ConfigException("source '" + name + "': column '" + c.name() + "' is sparse; a JSON lines source reads numeric and "
            + "categorical columns");
      }
    }
  }

  private static JsonNode parseOrNull(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> read(Schema schema) {
    checkSchema(schema);
    return LineFiles.read("ReadJsonLines", files, name, ordinal, (text, id) -> JsonRow.parse(JSON, text, schema, id));
  }
}
