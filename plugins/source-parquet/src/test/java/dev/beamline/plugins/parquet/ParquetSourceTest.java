package dev.beamline.plugins.parquet;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.StageFactory;
import dev.beamline.testkit.SourceContract;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The parquet source against the test kit's contract; {@link RecordFilesTest} has the format-independent cases. */
class ParquetSourceTest extends SourceContract {
  @Override
  protected BeamlinePlugin plugin() {
    return new ParquetAvroPlugin();
  }

  @Override
  protected SourceFactory source() {
    return new ParquetAvroPlugin().sources().stream().filter(s -> s.id().equals("parquet")).findFirst().orElseThrow();
  }

  @Override
  protected Map<String, Object> requiredValues(StageFactory stage) {
    return Map.of("path", "x.parquet");
  }

  /** Hours, text in the files, declared numeric: parsed row by row. */
  @Override
  protected Schema schema(SourceStage stage) {
    return RecordFilesTest.DECLARED;
  }

  @Override
  protected Input smallInput(Path dir) throws IOException {
    Path file = TestFiles.write(Format.PARQUET, dir.resolve("people.parquet"), List.of(
        TestFiles.person(39, "State-gov", "40", 19783, 1709296200000L, true),
        TestFiles.person(null, null, null, null, null, null),
        TestFiles.person(38, "Private", " 13.5 ", 0, 0L, false)));
    return new Input(Map.of("path", file.toString()), 3, 0);
  }

  @Override
  protected Input emptyInput(Path dir) throws IOException {
    return new Input(Map.of("path", TestFiles.write(Format.PARQUET, dir.resolve("empty.parquet"), List.of()).toString()), 0, 0);
  }

  @Override
  protected Input malformedInput(Path dir) throws IOException {
    Path file = TestFiles.write(Format.PARQUET, dir.resolve("bad.parquet"), List.of(
        TestFiles.person(39, "State-gov", "forty", null, null, null),
        TestFiles.person(50, "Private", "", null, null, null),
        TestFiles.person(20, "Private", "38", null, null, null)));
    return new Input(Map.of("path", file.toString()), 2, 1);
  }
}
