package dev.beamline.spi;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a source is declared.
 *
 * @param name the source's name in the pipeline spec ({@code train}, {@code test}, {@code data})
 * @param ordinal the source's position among the pipeline's sources, 0-based; part of every row id
 * @param baseDirectory the directory relative paths are resolved against (the pipeline file's)
 * @param specFile the pipeline file, for messages
 */
public record SourceContext(String name, int ordinal, Path baseDirectory, String specFile) {
  public SourceContext {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(baseDirectory, "baseDirectory");
    Objects.requireNonNull(specFile, "specFile");
    if (ordinal < 0 || ordinal > 127) {
      throw new IllegalArgumentException("source ordinal must be in 0..127");
    }
  }

  /** Resolves a path from the spec against the base directory. */
  public Path resolve(String path) {
    return baseDirectory.resolve(path).normalize();
  }
}
