package dev.beamline.core.beam;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/** Writes files into the run's staging directory through Beam's file systems, from any worker. */
public final class RunFiles {
  private RunFiles() {}

  /** Writes {@code relative} (slash-separated) under {@code directory}, replacing it; returns the file's path. */
  public static String write(String directory, String relative, byte[] bytes) throws IOException {
    ResourceId id = resource(directory, relative);
    try (WritableByteChannel channel = FileSystems.create(id, "application/octet-stream")) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
    return id.toString();
  }

  /** Opens {@code relative} under {@code directory} for writing UTF-8 text, replacing it. */
  public static java.io.Writer open(String directory, String relative) throws IOException {
    return new java.io.BufferedWriter(java.nio.channels.Channels.newWriter(
        FileSystems.create(resource(directory, relative), "text/plain"), StandardCharsets.UTF_8), 1 << 16);
  }

  private static ResourceId resource(String directory, String relative) {
    ResourceId id = FileSystems.matchNewResource(directory, true);
    String[] parts = relative.split("/");
    for (int i = 0; i < parts.length - 1; i++) {
      id = id.resolve(parts[i], StandardResolveOptions.RESOLVE_DIRECTORY);
    }
    return id.resolve(parts[parts.length - 1], StandardResolveOptions.RESOLVE_FILE);
  }

  /** Writes UTF-8 text. */
  public static String write(String directory, String relative, String text) throws IOException {
    return write(directory, relative, text.getBytes(StandardCharsets.UTF_8));
  }
}
