package dev.beamline.plugins.libsvm;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.InputFiles;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import java.util.List;

/**
 * The {@code libsvm} source: {@code label index:value ...} lines. It yields a numeric label column and a
 * sparse feature column; an absent index is "not present" (XGBoost's missing), as in XGBoost's own
 * LibSVM reader.
 */
public final class LibSvmPlugin implements BeamlinePlugin, SourceFactory {
  private static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofStringList("path").asRequired().describedAs("file(s) to read, relative to the pipeline file"),
      ConfigKey.ofString("labelColumn").withDefault("label").describedAs("name of the label column"),
      ConfigKey.ofString("featuresColumn").withDefault("features").describedAs("name of the sparse feature column"),
      ConfigKey.ofInt("dimension").withDefault(0).describedAs("number of features; 0 = largest index in the data + 1"));

  @Override
  public List<SourceFactory> sources() {
    return List.of(this);
  }

  @Override
  public String id() {
    return "libsvm";
  }

  @Override
  public String description() {
    return "LibSVM text files: a label and sparse index:value features";
  }

  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  @Override
  public SourceStage create(StageConfig config, SourceContext context) {
    String where = context.specFile() + ": sources." + context.name();
    List<String> files = InputFiles.resolve(config.getStringList("path"), context, "path");
    if (config.getInt("dimension") < 0) {
      throw new ConfigException(where + ".dimension: must not be negative");
    }
    return new LibSvmSource(files, config.getString("labelColumn"), config.getString("featuresColumn"),
        config.getInt("dimension"), context);
  }
}
