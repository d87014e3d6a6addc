package dev.beamline.plugins.libsvm;

import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.InputFiles;
import dev.beamline.spi.beam.RecordCoder;
import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.data.SparseVector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

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
        try (BufferedReader reader = open(file)) {
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

  private BufferedReader open(String file) throws IOException {
    return new BufferedReader(new InputStreamReader(Channels.newInputStream(InputFiles.open(file, name)), StandardCharsets.UTF_8),
        1 << 16);
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> read(Schema schema) {
    checkSchema(schema);
    int dim = schema.find(featuresColumn).orElseThrow().dimension();
    LibSvmSource source = this;
    return new PTransform<>("ReadLibSvm") {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollectionTuple expand(PBegin begin) {
        PCollectionTuple out = begin.apply("Files", Create.of(IntStream.range(0, files.size()).boxed().toList()))
            .apply("Parse", ParDo.of(new ReadFileFn(source, dim)).withOutputTags(RECORDS, TupleTagList.of(REJECTED)));
        out.get(RECORDS).setCoder(RecordCoder.of());
        out.get(REJECTED).setCoder(RejectedCoder.of());
        return out;
      }
    };
  }

  static final class ReadFileFn extends DoFn<Integer, Record> {
    private static final long serialVersionUID = 1L;
    private final LibSvmSource source;
    private final int dimension;

    ReadFileFn(LibSvmSource source, int dimension) {
      this.source = source;
      this.dimension = dimension;
    }

    @ProcessElement
    public void process(@Element Integer fileIndex, MultiOutputReceiver out) throws IOException {
      String file = source.files.get(fileIndex);
      try (BufferedReader reader = source.open(file)) {
        String text;
        long line = 0;
        while ((text = reader.readLine()) != null) {
          line++;
          if (text.isBlank()) {
            continue;
          }
          LibSvmLine parsed = LibSvmLine.parse(text);
          String problem = parsed.problem();
          SparseVector features = parsed.features();
          if (problem == null && features.size() > 0 && features.indices()[features.size() - 1] >= dimension) {
            problem = "index " + features.indices()[features.size() - 1] + " is beyond the dimension " + dimension
                + "; set 'dimension' on the source to the number of features";
          }
          if (problem != null) {
            out.get(REJECTED).output(new Rejected(source.name, file, line, problem, text));
          } else {
            out.get(RECORDS).output(new Record(RecordIds.of(source.ordinal, fileIndex, line),
                new double[] {parsed.label()}, null, new SparseVector[] {features}));
          }
        }
      }
    }
  }
}
