package dev.beamline.core.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
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

  /** The dead-letter row for a record. */
  public Rejected of(Record record, String reason) {
    return new Rejected(sourceName(record.id()), filePath(record.id()), RecordIds.line(record.id()), reason, record.toString());
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
