package dev.beamline.core.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import java.io.Serializable;
import java.util.List;

/** Turns a record a later stage cannot use into a dead-letter row naming its source, file and line. */
public final class Rejections implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> sourceNames;
  private final List<List<String>> sourceFiles;

  /** @param sourceNames by ordinal; {@code sourceFiles} each source's input files */
  public Rejections(List<String> sourceNames, List<List<String>> sourceFiles) {
    this.sourceNames = List.copyOf(sourceNames);
    this.sourceFiles = sourceFiles.stream().map(List::copyOf).toList();
  }

  /**
   * The dead-letter row for a record of {@code schema} refused after parsing (by the split or the transform): its
   * text is the values as parsed, {@code column=value, ...} (a missing value empty), since the line's own text is
   * no longer at hand; file and line say where to open it.
   */
  public Rejected of(Schema schema, Record record, String reason) {
    return new Rejected(sourceName(record.id()), filePath(record.id()), RecordIds.line(record.id()), reason, values(schema, record));
  }

  /** The record's values by column name. */
  static String values(Schema schema, Record record) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < schema.columns().size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(schema.columns().get(i).name()).append('=');
      Object v = schema.valueAt(record, i);
      if (v != null && !(v instanceof Double d && d.isNaN())) {
        sb.append(PredictionLines.text(v));
      }
    }
    return sb.toString();
  }

  /** The name of the source a row id comes from. */
  public String sourceName(long id) {
    int source = RecordIds.source(id);
    return source < sourceNames.size() ? sourceNames.get(source) : "source-" + source;
  }

  /** The path of the file a row id comes from ({@code ""} when unknown). */
  public String filePath(long id) {
    int source = RecordIds.source(id);
    int file = RecordIds.file(id);
    return source < sourceFiles.size() && file < sourceFiles.get(source).size() ? sourceFiles.get(source).get(file) : "";
  }
}
