package dev.beamline.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What goes into one of Beamline's images, before any is built: the layers (the jars that change rarely
 * first, Beamline's own jars next, the model last, so that a new model or a new build adds one small
 * layer), the command, its environment, the labels and the user. The scoring server's image and the job's
 * image are two plans of this one shape.
 *
 * @param layers the layers, base first
 * @param entrypoint the command the container runs (arguments given to the container are added to it)
 * @param environment environment variables, the settings a user overrides with {@code -e NAME=VALUE}
 * @param labels the image's labels
 * @param ports the TCP ports the container listens on
 * @param user the user the command runs as (a number: no user database is needed)
 */
public record ImagePlan(List<Layer> layers, List<String> entrypoint, Map<String, String> environment,
    Map<String, String> labels, List<Integer> ports, String user) {

  /** Where the application goes inside the image. */
  public static final String APP = "/app";
  /** Where the model goes inside the scoring image. */
  public static final String MODEL = "/model";
  /** The user of both images: not root, and no home directory needed (the numbers distroless images use). */
  public static final String NON_ROOT = "65532:65532";
  /** The port the scoring server listens on inside the container. */
  public static final int PORT = 8080;
  /** The CLI's entry point. */
  static final String MAIN = "dev.beamline.cli.Beamline";

  public ImagePlan {
    layers = List.copyOf(layers);
    entrypoint = List.copyOf(entrypoint);
    environment = Map.copyOf(environment);
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
    Objects.requireNonNull(user, "user");
  }

  /**
   * One layer: files (or directories, copied whole) and where each goes.
   *
   * @param name the layer's name (Jib shows it, and it caches layers by their content)
   * @param files source to absolute target path, in order
   */
  public record Layer(String name, Map<Path, String> files) {
    public Layer {
      files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }
  }

  /**
   * The application: the CLI and plugin jars (named {@code beamline-*.jar}), their dependencies, and the job
   * jar a Flink cluster runs.
   *
   * @param beamlineJars Beamline's own jars
   * @param dependencies every other jar
   * @param jobJar the job jar, or {@code null} when there is none
   */
  public record App(List<Path> beamlineJars, List<Path> dependencies, Path jobJar) {
    public App {
      beamlineJars = List.copyOf(beamlineJars);
      dependencies = List.copyOf(dependencies);
    }

    /** The application of a running CLI: the jars of its class path (the JVM expands {@code lib/*}). */
    public static App fromClassPath(String classPath, Path jobJar) {
      List<Path> own = new ArrayList<>();
      List<Path> others = new ArrayList<>();
      for (String entry : classPath.split(java.io.File.pathSeparator)) {
        if (entry.isBlank() || !entry.endsWith(".jar")) {
          continue; // a classes directory (tests, IDEs) has no place in an image
        }
        Path jar = Path.of(entry).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
          continue;
        }
        (jar.getFileName().toString().startsWith("beamline-") ? own : others).add(jar);
      }
      if (own.isEmpty()) {
        throw new IllegalStateException("no beamline-*.jar on the class path (" + classPath + "): run bin/beamline image");
      }
      return new App(own, others, jobJar != null && Files.isRegularFile(jobJar) ? jobJar : null);
    }

    /** The jars' layers: dependencies first (they change least), then Beamline's own. */
    List<Layer> layers() {
      Map<Path, String> deps = new LinkedHashMap<>();
      dependencies.forEach(j -> deps.put(j, APP + "/lib/" + j.getFileName()));
      Map<Path, String> own = new LinkedHashMap<>();
      beamlineJars.forEach(j -> own.put(j, APP + "/beamline/" + j.getFileName()));
      return List.of(new Layer("dependencies", deps), new Layer("beamline", own));
    }
  }

  /**
   * The JVM's command line in both images: the throughput collector with a heap of three quarters of the
   * container's memory limit (the JVM reads the cgroup's limit); {@code JAVA_TOOL_OPTIONS} adds to it.
   */
  static List<String> java(boolean withJobJar) {
    List<String> command = new ArrayList<>(List.of("java", "-XX:+UseParallelGC", "-XX:MaxRAMPercentage=75"));
    if (withJobJar) {
      command.add("-Dbeamline.jobJar=" + APP + "/beamline-job.jar");
    }
    command.addAll(List.of("-cp", APP + "/beamline/*:" + APP + "/lib/*", MAIN));
    return command;
  }

  /** The settings every image shares. */
  private static Map<String, String> sharedEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OMP_WAIT_POLICY", "PASSIVE"); // as bin/beamline: spinning OpenMP threads slow everything else
    env.put("HOME", "/tmp");               // the non-root user has no home; caches go under /tmp
    return env;
  }

  /**
   * The scoring server's image: {@code beamline serve --model /model} on 0.0.0.0:8080, its settings from
   * {@code BEAMLINE_*} environment variables (see {@code beamline serve --help}); the model's name and
   * version (from its registry URI when it had one) are the server's, in {@code /metrics} and its answers.
   */
  public static ImagePlan serving(App app, Path model, String name, String version, Map<String, String> labels) {
    if (!Files.isRegularFile(model.resolve("MLmodel"))) {
      throw new IllegalArgumentException(model + " is not a model directory (no MLmodel file)");
    }
    List<Layer> layers = new ArrayList<>(app.layers());
    layers.add(new Layer("model", Map.of(model, MODEL)));
    List<String> command = java(false);
    command.addAll(List.of("serve", "--model", MODEL));
    Map<String, String> env = sharedEnvironment();
    env.put("BEAMLINE_HOST", "0.0.0.0");
    env.put("BEAMLINE_PORT", Integer.toString(PORT));
    env.put("BEAMLINE_MODEL_NAME", name);
    env.put("BEAMLINE_MODEL_VERSION", version);
    return new ImagePlan(layers, command, env, labels, List.of(PORT), NON_ROOT);
  }

  /**
   * The job's image: the {@code beamline} command itself (give {@code run PIPELINE.yaml} or
   * {@code predict ...} as the container's arguments), with the job jar for a Flink cluster.
   */
  public static ImagePlan job(App app, Map<String, String> labels) {
    if (app.jobJar() == null) {
      throw new IllegalArgumentException("the job image needs the job jar (modules/cli/target/beamline-job.jar): build with bin/beamline");
    }
    List<Layer> layers = new ArrayList<>(app.layers());
    layers.add(new Layer("job-jar", Map.of(app.jobJar(), APP + "/beamline-job.jar")));
    return new ImagePlan(layers, java(true), sharedEnvironment(), labels, List.of(), NON_ROOT);
  }
}
