package dev.beamline.plugins.jsonl;

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
 * The {@code jsonl} source: JSON lines, one JSON object per line, its top-level keys the columns. A column is
 * numeric when the schema says so (JSON numbers, and strings that are decimal numbers), else categorical (a
 * string, or a number's or boolean's text). An absent key or {@code null} is a missing value; keys the schema
 * does not name are ignored. Without a declared schema one is inferred from the rows: a key is numeric when
 * every value it has is a JSON number.
 */
public final class JsonLinesPlugin implements BeamlinePlugin, SourceFactory {
  private static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofStringList("path").asRequired().describedAs("file(s) to read, relative to the pipeline file"));

  @Override
  public List<SourceFactory> sources() {
    return List.of(this);
  }

  @Override
  public String id() {
    return "jsonl";
  }

  @Override
  public String description() {
    return "JSON lines files: one JSON object per line, its top-level keys the columns";
  }

  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  @Override
  public SourceStage create(StageConfig config, SourceContext context) {
    return new JsonLinesSource(InputFiles.resolve(config.getStringList("path"), context, "path"), context);
  }
}
