package dev.beamline.spi.beam;

import dev.beamline.spi.SourceContext;
import dev.beamline.spi.config.ConfigException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;

/** What every file-reading source needs: resolving its configured paths, and opening a file on any worker. */
public final class InputFiles {
  private InputFiles() {}

  /**
   * Resolves paths from a source's configuration against the pipeline file's directory and checks they
   * exist.
   *
   * @param paths the configured paths
   * @param context the source's context
   * @param key the configuration key, for messages (e.g. {@code path})
   * @return absolute paths, in order
   * @throws ConfigException naming the spec file, the source's key and the missing file
   */
  public static List<String> resolve(List<String> paths, SourceContext context, String key) {
    List<String> files = new ArrayList<>();
    for (String p : paths) {
      Path path = context.resolve(p);
      if (!Files.isRegularFile(path)) {
        throw new ConfigException(context.specFile() + ": sources." + context.name() + "." + key + ": no such file " + path
            + " (paths are relative to the pipeline file)");
      }
      files.add(path.toAbsolutePath().toString());
    }
    return List.copyOf(files);
  }

  /**
   * Opens a file through Beam's file systems, so a worker reads it wherever it lives.
   *
   * @throws ConfigException naming the file when it does not exist
   */
  public static ReadableByteChannel open(String file, String source) throws IOException {
    try {
      return FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId());
    } catch (FileNotFoundException e) {
      throw new ConfigException(file + ": no such file (source '" + source + "')", e);
    }
  }
}
