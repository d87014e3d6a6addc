package dev.beamline.plugins.parquet;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.StageFactory;
import dev.beamline.spi.data.Schema;
import dev.beamline.testkit.SourceContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The test kit's source contract for one file format; {@link RecordFilesTest} has the cases beyond it. */
abstract class FormatSourceContract extends SourceContract {
  abstract Format format();

  @Override
  protected BeamlinePlugin plugin() {
    return new ParquetAvroPlugin();
  }

  @Override
  protected SourceFactory source() {
    return new ParquetAvroPlugin().sources().stream().filter(s -> s.id().equals(format().id)).findFirst().orElseThrow();
  }

  @Override
  protected Map<String, Object> requiredValues(StageFactory stage) {
    return Map.of("path", "x." + format().id);
  }

  /** Hours, text in the files, declared numeric: parsed row by row. */
  @Override
  protected Schema schema(SourceStage stage) {
    return RecordFilesTest.DECLARED;
  }

  @Override
  protected Input smallInput(Path dir) throws IOException {
    Path file = TestFiles.write(format(), dir.resolve("people." + format().id), List.of(
        TestFiles.person(39, "State-gov", "40", 19783, 1709296200000L, true),
        TestFiles.person(null, null, null, null, null, null),
        TestFiles.person(38, "Private", " 13.5 ", 0, 0L, false)));
    return new Input(Map.of("path", file.toString()), 3, 0);
  }

  @Override
  protected Input emptyInput(Path dir) throws IOException {
    return new Input(Map.of("path", TestFiles.write(format(), dir.resolve("empty." + format().id), List.of()).toString()), 0, 0);
  }

  @Override
  protected Input malformedInput(Path dir) throws IOException {
    Path file = TestFiles.write(format(), dir.resolve("bad." + format().id), List.of(
        TestFiles.person(39, "State-gov", "forty", null, null, null),
        TestFiles.person(50, "Private", "", null, null, null),
        TestFiles.person(20, "Private", "38", null, null, null)));
    return new Input(Map.of("path", file.toString()), 2, 1);
  }
}
