package dev.beamline.cli;

import dev.beamline.core.run.Versions;
import dev.beamline.image.ImageBuilder;
import dev.beamline.image.ImagePlan;
import dev.beamline.serving.ModelHolder;
import dev.beamline.serving.ModelLoader;
import dev.beamline.spi.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code beamline image}: a container image of the scoring server with a model inside, or of the job. */
@Command(name = "image", description = "Build a container image (an OCI archive; no Docker daemon needed) of the scoring server "
    + "with a model inside (--model), or of the beamline command for pipeline and scoring runs (--job). "
    + "Load it with 'podman load -i FILE' or 'docker load -i FILE'.")
final class Image implements Callable<Integer> {
  /** The environment variable naming the default base image. */
  static final String BASE_ENV = "BEAMLINE_BASE_IMAGE";

  @CommandLine.ParentCommand
  Beamline parent;

  @CommandLine.Mixin
  ModelOptions model = new ModelOptions();

  @Option(names = "--job", description = "build the job's image instead: the beamline command (give 'run PIPELINE.yaml' or 'predict ...' "
      + "as the container's arguments), with the job jar a Flink cluster runs")
  boolean job;

  @Option(names = "--tag", paramLabel = "NAME:TAG", description = "the image's name (default: the model's name and version, "
      + "or beamline-job:<beamline version>)")
  String tag;

  @Option(names = "--base", paramLabel = "REF", description = "the base image with a Java 17 runtime: tar://FILE (an image archive) "
      + "or an image in a registry, e.g. eclipse-temurin:17-jre (default $" + BASE_ENV + ", else the one bin/base-image builds from "
      + "Debian packages, once per machine)")
  String base;

  @Option(names = "--output", paramLabel = "FILE.tar", description = "the image archive to write (default NAME-TAG.tar in the current directory)")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (job == (model.model != null)) {
      throw new ConfigException(job ? "--job and --model: give one (the job image has no model inside)"
          : "--model: give the model to serve (a run directory, runs:/ or models:/ URI), or --job for the job's image");
    }
    long start = System.nanoTime();
    if (base != null) {
      try {
        ImageBuilder.checkBase(base); // before the model is loaded
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
    }
    ImagePlan.App app = ImagePlan.App.fromClassPath(System.getProperty("java.class.path"),
        System.getProperty("beamline.jobJar") == null ? null : Path.of(System.getProperty("beamline.jobJar")));
    Planned planned = job ? jobPlan(app) : servingPlan(app);
    ImagePlan plan = planned.plan();
    String name = tag != null ? tag : planned.defaultTag();
    Path archive = output != null ? output : Path.of(name.replace('/', '_').replace(':', '-') + ".tar");
    String from = baseImage();
    ImageBuilder.Built built;
    try {
      built = new ImageBuilder(Beamline.cacheRoot().resolve("jib"), m -> parent.err.println("beamline image: " + m))
          .build(from, plan, name, archive);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    parent.out.printf("beamline image: %s (%s) from %s in %.1f s: %s, %d MB%n", built.tag(), built.digest(), from,
        (System.nanoTime() - start) / 1e9, archive, Files.size(archive) >> 20);
    parent.out.printf("beamline image: load with 'podman load -i %s'; run with %s%n", archive, job
        ? "'podman run --rm -v $PWD:/data " + name + " run /data/PIPELINE.yaml --output /data/runs/NAME'"
        : "'podman run --rm -p 127.0.0.1:8080:8080 " + name + "'");
    return Beamline.OK;
  }

  /** An image's plan, and the name it gets when --tag does not give one. */
  private record Planned(ImagePlan plan, String defaultTag) {}

  private static Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("dev.beamline.version", Versions.beamline());
    return labels;
  }

  private Planned jobPlan(ImagePlan.App app) {
    Map<String, String> labels = labels();
    labels.put("org.opencontainers.image.title", "beamline");
    return new Planned(ImagePlan.job(app, labels), "beamline-job:" + tagPart(Versions.beamline()));
  }

  /** The scoring image of the model, labelled with its name, version, run and task. */
  private Planned servingPlan(ImagePlan.App app) throws Exception {
    ModelHolder.Loaded loaded = loadModel();
    try {
      Map<String, String> labels = labels();
      labels.put("org.opencontainers.image.title", "beamline serve " + loaded.name());
      labels.put("dev.beamline.model.name", loaded.name());
      labels.put("dev.beamline.model.version", loaded.version());
      if (loaded.runId() != null) {
        labels.put("dev.beamline.model.run-id", loaded.runId());
      }
      labels.put("dev.beamline.model.task", loaded.scorer().task().type().name().toLowerCase(Locale.ROOT));
      return new Planned(ImagePlan.serving(app, loaded.scorer().bundle().directory(), loaded.name(), loaded.version(), labels),
          tagPart(loaded.name()) + ":" + tagPart(loaded.version()));
    } finally {
      loaded.scorer().close();
    }
  }

  private ModelHolder.Loaded loadModel() throws Exception {
    ModelLoader loader = model.loader(parent);
    try {
      return loader.load(loader.resolve());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--model " + model.model + ": " + e.getMessage(), e);
    }
  }

  /** The base image: --base, else $BEAMLINE_BASE_IMAGE, else the Debian one bin/base-image builds (once per machine). */
  private String baseImage() throws IOException, InterruptedException {
    if (base != null) {
      return base;
    }
    String env = System.getenv(BASE_ENV);
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    String script = System.getProperty("beamline.baseImageScript");
    if (script == null || !Files.isExecutable(Path.of(script))) {
      throw new ConfigException("--base: give a base image with Java 17 (tar://FILE or a registry image such as eclipse-temurin:17-jre), "
          + "or set " + BASE_ENV);
    }
    parent.err.println("beamline image: no --base: using the Debian base image of " + script);
    Process p = new ProcessBuilder(script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    if (p.waitFor() != 0 || lines.isEmpty()) {
      throw new ConfigException(script + " failed (exit " + p.exitValue() + "): give --base, e.g. eclipse-temurin:17-jre");
    }
    return ImageBuilder.TAR + lines.get(lines.size() - 1).strip();
  }

  /** A name or version as an image reference allows it: lower case letters, digits, '.', '_' and '-'. */
  static String tagPart(String s) {
    String t = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
    return t.isEmpty() ? "model" : t.length() > 120 ? t.substring(0, 120) : t;
  }
}
