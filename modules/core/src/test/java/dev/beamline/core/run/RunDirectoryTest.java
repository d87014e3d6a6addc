package dev.beamline.core.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir
  Path tmp;

  @Test
  void writesIntoAHiddenStagingDirectoryAndPublishesOnCommit() throws Exception {
    Path target = tmp.resolve("run1");
    RunDirectory dir = RunDirectory.create(target, "p", Instant.now());
    assertFalse(Files.exists(target), "nothing named like the run until it is finished");
    assertTrue(dir.staging().getFileName().toString().startsWith(".run1.partial-"));
    Files.writeString(dir.staging().resolve("run.json"), "{}");
    dir.commit();
    assertTrue(Files.exists(target.resolve("run.json")));
    assertFalse(Files.exists(dir.staging()));
  }

  @Test
  void neverOverwritesARun() throws Exception {
    Files.createDirectories(tmp.resolve("run1"));
    ConfigException e = assertThrows(ConfigException.class, () -> RunDirectory.create(tmp.resolve("run1"), "p", Instant.now()));
    assertTrue(e.getMessage().contains("exists"), e.getMessage());
  }
}
