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
    int source = RecordIds.source(record.id());
    int file = RecordIds.file(record.id());
    String name = source < sourceNames.size() ? sourceNames.get(source) : "source-" + source;
    String path = source < sourceFiles.size() && file < sourceFiles.get(source).size() ? sourceFiles.get(source).get(file) : "";
    return new Rejected(name, path, RecordIds.line(record.id()), reason, record.toString());
  }
}
