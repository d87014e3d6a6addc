package dev.beamline.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds images on an empty base (no registry, no daemon) and reads the archives back. */
class ImageBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private ImagePlan.App app() throws IOException {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path cli = Files.writeString(lib.resolve("beamline-cli.jar"), "cli");
    Path dep = Files.writeString(lib.resolve("jetty-server-12.jar"), "jetty");
    Path job = Files.writeString(dir.resolve("beamline-job.jar"), "job");
    return ImagePlan.App.fromClassPath(cli + ":" + dep + ":" + dir.resolve("classes"), job);
  }

  private Path model() throws IOException {
    Path model = Files.createDirectories(dir.resolve("run/model"));
    Files.writeString(model.resolve("MLmodel"), "artifact_path: model\n");
    Files.createDirectories(model.resolve("code"));
    Files.writeString(model.resolve("code/beamline_pyfunc.py"), "# python\n");
    return model;
  }

  /** The blobs of an OCI archive by digest, and the files of each layer. */
  private static Map<String, byte[]> blobs(Path archive) throws IOException {
    Map<String, byte[]> blobs = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        blobs.put(e.getName(), tar.readAllBytes());
      }
    }
    return blobs;
  }

  private static Set<String> files(byte[] layer) throws IOException {
    Set<String> names = new HashSet<>();
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(layer)); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }

  @Test
  void theServingImageRunsTheServerAsNonRootWithTheModelInItsOwnLayer() throws Exception {
    ImagePlan plan = ImagePlan.serving(app(), model(), "adult-income", "3", Map.of("dev.beamline.model.name", "adult-income"));
    Path archive = dir.resolve("out/image.tar");
    ImageBuilder.Built built = new ImageBuilder(dir.resolve("cache"), m -> {}).build("scratch", plan, "adult-income:3", archive);

    Map<String, byte[]> blobs = blobs(archive);
    JsonNode index = JSON.readTree(blobs.get("index.json"));
    String manifestDigest = index.at("/manifests/0/digest").asText();
    assertEquals(built.digest(), manifestDigest);
    JsonNode manifest = JSON.readTree(blobs.get("blobs/" + manifestDigest.replace(':', '/')));
    JsonNode config = JSON.readTree(blobs.get("blobs/" + manifest.at("/config/digest").asText().replace(':', '/'))).get("config");

    assertEquals("65532:65532", config.get("User").asText());
    assertEquals("adult-income", config.at("/Labels/dev.beamline.model.name").asText());
    assertTrue(config.get("ExposedPorts").has("8080/tcp"), config.toString());
    List<String> entrypoint = JSON.convertValue(config.get("Entrypoint"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    assertEquals(List.of("serve", "--model", "/model"), entrypoint.subList(entrypoint.size() - 3, entrypoint.size()));
    assertTrue(entrypoint.contains("/app/beamline/*:/app/lib/*"), entrypoint.toString());
    List<String> env = JSON.convertValue(config.get("Env"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    assertTrue(env.contains("BEAMLINE_HOST=0.0.0.0") && env.contains("BEAMLINE_PORT=8080")
        && env.contains("BEAMLINE_MODEL_NAME=adult-income") && env.contains("BEAMLINE_MODEL_VERSION=3"), env.toString());

    JsonNode layers = manifest.get("layers");
    assertEquals(3, layers.size(), "dependencies, beamline, model");
    assertTrue(files(blobs.get("blobs/" + layers.get(0).get("digest").asText().replace(':', '/'))).contains("app/lib/jetty-server-12.jar"));
    assertTrue(files(blobs.get("blobs/" + layers.get(1).get("digest").asText().replace(':', '/'))).contains("app/beamline/beamline-cli.jar"));
    Set<String> model = files(blobs.get("blobs/" + layers.get(2).get("digest").asText().replace(':', '/')));
    assertTrue(model.contains("model/MLmodel") && model.contains("model/code/beamline_pyfunc.py"), model.toString());
  }

  @Test
  void theSameInputsGiveTheSameDigest() throws Exception {
    ImagePlan plan = ImagePlan.serving(app(), model(), "m", "1", Map.of());
    ImageBuilder builder = new ImageBuilder(dir.resolve("cache"), m -> {});
    String first = builder.build("scratch", plan, "m:1", dir.resolve("a.tar")).digest();
    String second = builder.build("scratch", plan, "m:1", dir.resolve("b.tar")).digest();
    assertEquals(first, second);
  }

  @Test
  void theJobImageRunsTheCommandWithTheJobJar() throws Exception {
    ImagePlan plan = ImagePlan.job(app(), Map.of());
    assertTrue(plan.entrypoint().contains("-Dbeamline.jobJar=/app/beamline-job.jar"), plan.entrypoint().toString());
    assertEquals(ImagePlan.MAIN, plan.entrypoint().get(plan.entrypoint().size() - 1));
    assertEquals("job-jar", plan.layers().get(2).name());
  }

  @Test
  void badInputsAreNamed() throws Exception {
    ImagePlan.App app = app();
    IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class, () -> ImagePlan.serving(app, dir, "m", "1", Map.of()));
    assertTrue(noModel.getMessage().contains("no MLmodel file"), noModel.getMessage());
    ImageBuilder builder = new ImageBuilder(dir.resolve("cache"), m -> {});
    ImagePlan plan = ImagePlan.serving(app, model(), "m", "1", Map.of());
    IllegalArgumentException noBase = assertThrows(IllegalArgumentException.class,
        () -> builder.build("tar:///nowhere/base.tar", plan, "m:1", dir.resolve("x.tar")));
    assertTrue(noBase.getMessage().contains("/nowhere/base.tar"), noBase.getMessage());
    IllegalArgumentException badTag = assertThrows(IllegalArgumentException.class,
        () -> builder.build("scratch", plan, "Not A Tag", dir.resolve("x.tar")));
    assertTrue(badTag.getMessage().contains("--tag"), badTag.getMessage());
  }
}
