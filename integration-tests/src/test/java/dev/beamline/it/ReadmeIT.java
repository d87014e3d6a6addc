package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.cli.Beamline;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's complete pipeline example is a valid pipeline (placed beside the adult pipeline for its paths). */
class ReadmeIT {
  @Test
  void theReadmeExampleValidates() throws IOException {
    String readme = Files.readString(PipelinesIT.ROOT.resolve("README.md"));
    int start = readme.indexOf("```yaml\nname: adult-income");
    assertTrue(start >= 0, "the README has no complete example");
    String yaml = readme.substring(start + "```yaml\n".length(), readme.indexOf("```", start + 8));
    Path file = PipelinesIT.ROOT.resolve("pipelines/adult-income/.readme-example.yaml");
    Files.writeString(file, yaml);
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Beamline.execute(new String[] {"validate", file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
