package dev.beamline.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the project's scripts (integration-tests/bin/...) and returns the last line it printed. */
final class ProjectScript {
  private ProjectScript() {}

  /** Runs {@code script args} with extra environment; fails with its output when it fails or takes over 5 minutes. */
  static String run(Path script, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(script.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(script.getFileName() + " " + String.join(" ", args) + " failed: " + out + "\n" + err);
    }
    String[] lines = out.split("\n");
    return lines[lines.length - 1].strip();
  }
}
