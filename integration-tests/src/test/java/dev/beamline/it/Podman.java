package dev.beamline.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code podman} command with the project's settings for machines like the CI's
 * ({@code bin/base-image conf}: runc, cgroupfs, explicit ulimits). Every call is bounded in time.
 */
final class Podman {
  static final Path CONF = PipelinesIT.ROOT.resolve("integration-tests/podman/containers.conf");

  private Podman() {}

  /** The output of a podman command, which must succeed within {@code seconds}. */
  static String run(int seconds, String... args) throws Exception {
    Result r = tryRun(seconds, args);
    if (r.code != 0) {
      throw new IllegalStateException("podman " + String.join(" ", args) + " failed (exit " + r.code + "): " + r.output);
    }
    return r.output;
  }

  /** What a podman command printed (stdout and stderr), and its exit code; -1 when it took over {@code seconds}. */
  record Result(int code, String output) {}

  static Result tryRun(int seconds, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("podman"));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("podman", ".log");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
      pb.environment().put("CONTAINERS_CONF", CONF.toString());
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + seconds + " s: " + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Checks that podman is installed; fails (never skips) with how to install it. */
  static void require() throws Exception {
    try {
      run(30, "--version");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the image tests need podman, runc and mmdebstrap: apt-get install podman runc mmdebstrap (.ci/run does)", e);
    }
  }
}
