package dev.beamline.plugins.libsvm;

import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.LineFiles;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;

/** Reads LibSVM files: a numeric label column and one sparse feature column. */
final class LibSvmSource implements SourceStage {
  private static final long serialVersionUID = 1L;

  private final List<String> files;
  private final String labelColumn;
  private final String featuresColumn;
  private final int dimension;
  private final String name;
  private final int ordinal;

  LibSvmSource(List<String> files, String labelColumn, String featuresColumn, int dimension, SourceContext context) {
    this.files = List.copyOf(files);
    this.labelColumn = labelColumn;
    this.featuresColumn = featuresColumn;
    this.dimension = dimension;
    this.name = context.name();
    this.ordinal = context.ordinal();
  }

  @Override
  public List<Path> inputs() {
    return files.stream().map(Path::of).toList();
  }

  /** The schema: label and features; the dimension is configured or the largest index seen plus one. */
  @Override
  public Optional<Schema> inferSchema(int sampleRows) throws IOException {
    int dim = dimension;
    if (dim <= 0) {
      for (String file : files) {
        try (BufferedReader reader = LineFiles.open(file, name)) {
          String line;
          while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
              continue;
            }
            LibSvmLine parsed = LibSvmLine.parse(line);
            if (parsed.features() != null && parsed.features().size() > 0) {
              int[] idx = parsed.features().indices();
              dim = Math.max(dim, idx[idx.length - 1] + 1);
            }
          }
        }
      }
    }
    return Optional.of(new Schema(List.of(Column.numeric(labelColumn), new Column(featuresColumn, ColumnType.SPARSE, dim))));
  }

  @Override
  public void checkSchema(Schema schema) {
    if (schema.find(labelColumn).map(c -> c.type() != ColumnType.NUMERIC).orElse(true)
        || schema.find(featuresColumn).map(c -> c.type() != ColumnType.SPARSE).orElse(true)
        || schema.columns().size() != 2) {
      throw new ConfigException("source '" + name + "': a LibSVM source has exactly a numeric column '" + labelColumn
          + "' and a sparse column '" + featuresColumn + "'; the pipeline's schema is " + schema.names());
    }
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> read(Schema schema) {
    checkSchema(schema);
    int dim = schema.find(featuresColumn).orElseThrow().dimension();
    return LineFiles.read("ReadLibSvm", files, name, ordinal, (text, id) -> parse(text, id, dim));
  }

  /** One line: the label and the features, or why not (a malformed pair, or an index beyond the dimension). */
  private static LineFiles.Parsed parse(String text, long id, int dimension) {
    LibSvmLine parsed = LibSvmLine.parse(text);
    String problem = parsed.problem();
    SparseVector features = parsed.features();
    if (problem == null && features.size() > 0 && features.indices()[features.size() - 1] >= dimension) {
      problem = "index " + features.indices()[features.size() - 1] + " is beyond the dimension " + dimension
          + "; set 'dimension' on the source to the number of features";
    }
    return problem != null ? LineFiles.Parsed.rejected(problem)
        : LineFiles.Parsed.row(new Record(id, new double[] {parsed.label()}, null, new SparseVector[] {features}));
  }
}
