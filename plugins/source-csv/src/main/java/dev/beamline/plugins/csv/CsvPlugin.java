package dev.beamline.plugins.csv;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.InputFiles;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import java.util.List;

/**
 * The {@code csv} source: delimited text with or without a header, quoting, trimming, missing-value
 * tokens and skipped lines, parsed against the schema. A row with the wrong number of fields or a
 * non-number in a numeric column goes to the dead-letter output with its file, line and reason.
 */
public final class CsvPlugin implements BeamlinePlugin, SourceFactory {
  @Override
  public List<SourceFactory> sources() {
    return List.of(this);
  }

  @Override
  public String id() {
    return "csv";
  }

  @Override
  public String description() {
    return "delimited text files (header, delimiter, quoting, trimming, missing-value tokens, skipped lines)";
  }

  @Override
  public ConfigSpec configSpec() {
    return CsvOptions.SPEC;
  }

  @Override
  public SourceStage create(StageConfig config, SourceContext context) {
    String where = context.specFile() + ": sources." + context.name();
    CsvOptions options = CsvOptions.from(config, where);
    return new CsvSource(InputFiles.resolve(config.getStringList("path"), context, "path"), options, context);
  }
}
