package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/beamline} itself, as the README runs it: the first run after a build records the class data
 * sharing archive, the next one maps it, and stdout carries the CLI's output only.
 */
class LauncherIT {
  private static final Path LAUNCHER = PipelinesIT.ROOT.resolve("bin/beamline");
  private static final Path JAR = PipelinesIT.ROOT.resolve("modules/cli/target/beamline-cli.jar");
  private static final Path ARCHIVE = PipelinesIT.ROOT.resolve("modules/cli/target/beamline-cds.jsa");

  @TempDir Path tmp;

  record Result(int code, String out, String err) {}

  private static Result launch(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(LAUNCHER.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
    pb.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("bin/beamline " + String.join(" ", args) + " took over 120 s");
    }
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    System.out.println("$ bin/beamline " + String.join(" ", args) + " -> exit " + r.code() + "\n" + r.out() + r.err());
    return r;
  }

  @Test
  void theFirstRunRecordsTheClassArchiveAndTheNextMapsIt() throws Exception {
    // The jar Maven just built in this reactor is the current build: no rebuild from inside the test.
    Files.setLastModifiedTime(JAR, FileTime.fromMillis(System.currentTimeMillis()));
    Files.deleteIfExists(ARCHIVE);
    String pipeline = PipelinesIT.ROOT.resolve("pipelines/agaricus/pipeline.yaml").toString();

    Result first = launch(Map.of("BEAMLINE_JAVA_OPTS", "-Xmx2g -XX:+UseParallelGC"), "run", pipeline, "--output",
        tmp.resolve("first").toString());
    assertEquals(0, first.code(), first.err());
    assertTrue(first.out().contains("0.021726"), "agaricus' test error is printed: " + first.out());
    assertTrue(Files.size(ARCHIVE) > 0, "the first run after a build records the archive");
    assertFalse(first.out().contains("[warning]") || first.out().contains("cds"), "stdout is the CLI's only: " + first.out());

    // bin/beamline either maps the archive or records a new one; -Xshare:on makes the JVM fail to start when
    // the archive it is given cannot be mapped, and an unchanged archive shows none was recorded.
    FileTime recorded = Files.getLastModifiedTime(ARCHIVE);
    Result second = launch(Map.of("BEAMLINE_JAVA_OPTS", "-Xmx2g -XX:+UseParallelGC -Xshare:on"), "run", pipeline, "--output",
        tmp.resolve("second").toString());
    assertEquals(0, second.code(), second.err());
    assertTrue(second.out().contains("0.021726"), second.out());
    assertFalse(second.out().contains("[warning]"), second.out());
    assertEquals(recorded, Files.getLastModifiedTime(ARCHIVE), "the second run maps the archive instead of recording one");

    Result off = launch(Map.of("BEAMLINE_CDS", "0", "BEAMLINE_JAVA_OPTS", "-Xmx1g"), "plugins");
    assertEquals(0, off.code(), off.err());
    assertTrue(off.out().contains("xgboost"), off.out());
  }
}
