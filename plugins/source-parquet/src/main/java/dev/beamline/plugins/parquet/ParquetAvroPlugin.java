package dev.beamline.plugins.parquet;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.InputFiles;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import java.util.List;

/**
 * The {@code parquet} and {@code avro} sources: Apache Parquet files and Avro object container files, their columns the
 * files' own top-level fields (see {@link AvroFields} for the types), each file read by one worker in its order so that
 * a row's id is its position in the file, or the value of a key field.
 */
public final class ParquetAvroPlugin implements BeamlinePlugin {
  private static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofStringList("path").asRequired().describedAs("file(s) to read, relative to the pipeline file"),
      ConfigKey.ofString("keyColumn").describedAs("a whole-number field, 0 to 2^40 - 1, unique within a file: the row ids (default: the "
          + "record's position in its file, from 1)"));

  @Override
  public List<SourceFactory> sources() {
    return List.of(new FormatSource(Format.PARQUET, "Apache Parquet files: the columns and types of the files' own schema"),
        new FormatSource(Format.AVRO, "Avro data files: the columns and types of the files' own schema"));
  }

  /** The source of one format. */
  static final class FormatSource implements SourceFactory {
    private final Format format;
    private final String description;

    FormatSource(Format format, String description) {
      this.format = format;
      this.description = description;
    }

    @Override
    public String id() {
      return format.id;
    }

    @Override
    public String description() {
      return description;
    }

    @Override
    public ConfigSpec configSpec() {
      return SPEC;
    }

    @Override
    public SourceStage create(StageConfig config, SourceContext context) {
      return new RecordFileSource(format, InputFiles.resolve(config.getStringList("path"), context, "path"), context.name(),
          context.ordinal(), config.has("keyColumn") ? config.getString("keyColumn") : null);
    }
  }
}
