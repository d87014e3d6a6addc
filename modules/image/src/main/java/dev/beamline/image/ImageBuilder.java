package dev.beamline.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds an {@link ImagePlan} into an OCI image archive with Jib: no Docker daemon, and no registry unless
 * the base image is in one. The archive loads with {@code podman load -i} or {@code docker load -i}, and
 * {@code skopeo copy oci-archive:FILE docker://REGISTRY/NAME} pushes it. Files get Jib's fixed timestamps
 * and the image a fixed creation time, so the same inputs give the same image digest.
 */
public final class ImageBuilder {
  /** The prefix of a base image that is an image archive on disk. */
  public static final String TAR = "tar://";

  private final Path cache;
  private final Consumer<String> log;

  /**
   * @param cache where Jib keeps the base image's and the application's layers between builds
   * @param log where Jib's warnings go
   */
  public ImageBuilder(Path cache, Consumer<String> log) {
    this.cache = cache;
    this.log = log;
  }

  /** What was built. */
  public record Built(Path archive, String tag, String digest, String imageId) {}

  /**
   * Builds the plan on the base image.
   *
   * @param base {@code tar://FILE} (a docker-archive or OCI archive, such as {@code bin/base-image} makes) or
   *     an image reference in a registry ({@code eclipse-temurin:17-jre}, {@code registry.example.com/java:17})
   * @param plan what goes in
   * @param tag the image's name and tag, as {@code podman load} will name it
   * @param archive the archive file to write
   */
  public Built build(String base, ImagePlan plan, String tag, Path archive) throws Exception {
    JibContainerBuilder image = from(base).setFormat(ImageFormat.OCI);
    for (ImagePlan.Layer layer : plan.layers()) {
      image.addFileEntriesLayer(layer(layer));
    }
    image.setEntrypoint(plan.entrypoint())
        .setProgramArguments(java.util.List.of())
        .setEnvironment(plan.environment())
        .setLabels(plan.labels())
        .setUser(plan.user())
        .setWorkingDirectory(AbsoluteUnixPath.get("/tmp"));
    plan.ports().forEach(p -> image.addExposedPort(Port.tcp(p)));
    Path parent = archive.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    TarImage target;
    try {
      target = TarImage.at(archive.toAbsolutePath()).named(tag);
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("--tag " + tag + ": not an image name (give NAME:TAG, e.g. adult-income:3)", e);
    }
    Containerizer to = Containerizer.to(target)
        .setToolName("beamline")
        .setBaseImageLayersCache(cache.resolve("base-layers"))
        .setApplicationLayersCache(cache.resolve("application-layers"))
        .addEventHandler(LogEvent.class, e -> {
          if (e.getLevel() == LogEvent.Level.ERROR || e.getLevel() == LogEvent.Level.WARN) {
            log.accept(e.getMessage());
          }
        });
    JibContainer built = image.containerize(to);
    return new Built(archive, tag, built.getDigest().toString(), built.getImageId().toString());
  }

  /**
   * Checks what can be checked of a base image before a build: that a {@code tar://} archive exists.
   *
   * @throws IllegalArgumentException naming the missing file
   */
  public static void checkBase(String base) {
    if (base.startsWith(TAR) && !Files.isRegularFile(Path.of(base.substring(TAR.length())))) {
      throw new IllegalArgumentException("--base " + base + ": no such file (bin/base-image builds one from Debian packages)");
    }
  }

  private static JibContainerBuilder from(String base) throws InvalidImageReferenceException {
    checkBase(base);
    if (base.startsWith(TAR)) {
      return Jib.from(TarImage.at(Path.of(base.substring(TAR.length()))));
    }
    if (base.equals("scratch")) {
      return Jib.fromScratch();
    }
    return Jib.from(RegistryImage.named(base));
  }

  private static FileEntriesLayer layer(ImagePlan.Layer layer) throws IOException {
    FileEntriesLayer.Builder files = FileEntriesLayer.builder().setName(layer.name());
    for (Map.Entry<Path, String> e : layer.files().entrySet()) {
      if (Files.isDirectory(e.getKey())) {
        files.addEntryRecursive(e.getKey(), AbsoluteUnixPath.get(e.getValue()));
      } else {
        files.addEntry(e.getKey(), AbsoluteUnixPath.get(e.getValue()));
      }
    }
    return files.build();
  }
}
