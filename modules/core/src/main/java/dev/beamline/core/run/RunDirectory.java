package dev.beamline.core.run;

import dev.beamline.spi.config.ConfigException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * A run's output directory, written atomically enough that a crashed run is never mistaken for a finished
 * one: everything is written into a hidden staging directory beside the target ({@code .NAME.partial-ID}),
 * {@code run.json} last, and the staging directory is renamed to the target only when the run succeeded.
 * A directory named like a finished run therefore always holds a complete run with {@code run.json}.
 */
public final class RunDirectory {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path target;
  private final Path staging;
  private final String runId;

  private RunDirectory(Path target, Path staging, String runId) {
    this.target = target;
    this.staging = staging;
    this.runId = runId;
  }

  /**
   * Prepares a run directory.
   *
   * @param output the directory asked for, or {@code null} for {@code runs/<pipeline>/<time>-<id>}
   * @param pipeline the pipeline's name
   * @param now the start time
   */
  public static RunDirectory create(Path output, String pipeline, Instant now) {
    String runId = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Path target = (output != null ? output : Path.of("runs", pipeline, STAMP.format(now) + "-" + runId.substring(0, 6)))
        .toAbsolutePath().normalize();
    if (Files.exists(target)) {
      throw new ConfigException("--output " + target + ": the directory exists; choose a new one or remove it "
          + "(a run never overwrites another run)");
    }
    Path parent = target.getParent();
    Path staging = parent.resolve("." + target.getFileName() + ".partial-" + runId);
    try {
      Files.createDirectories(staging);
    } catch (IOException e) {
      throw new ConfigException("--output " + target + ": cannot create the directory (" + e.getMessage() + ")", e);
    }
    return new RunDirectory(target, staging, runId);
  }

  /** Where the run's files are written until it finishes. */
  public Path staging() {
    return staging;
  }

  /** Where the finished run will be. */
  public Path target() {
    return target;
  }

  /** The run's id. */
  public String runId() {
    return runId;
  }

  /** Moves the staging directory to the target, atomically where the file system allows. */
  public void commit() throws IOException {
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
  }
}
