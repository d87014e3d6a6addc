package dev.beamline.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images, built and run here: {@code beamline image} makes the scoring server's image of the adult model
 * on the Debian base image ({@code bin/base-image}), podman runs it on a loopback port, and it answers as
 * {@code beamline serve} on the host does, to the last 1e-6, probes, metrics and bad input included; it stops
 * on SIGTERM without failing a request it had taken. The job image scores adult.test with
 * {@code beamline predict} from mounted directories. Every container and image is removed afterwards.
 */
class ImageIT {
  @TempDir
  static Path tmp;
  static Path adultRun;
  static String baseImage;
  static final String ID = Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
  static final String SERVING = "localhost/beamline-it-adult:" + ID;
  static final String JOB = "localhost/beamline-it-job:" + ID;
  static final String CONTAINER = "beamline-it-serve-" + ID;
  static final Path BEAMLINE = PipelinesIT.ROOT.resolve("bin/beamline");

  @BeforeAll
  static void trainAndMakeTheBase() throws Exception {
    Podman.require();
    adultRun = tmp.resolve("adult");
    Cli trained = Cli.run("run", PipelinesIT.ROOT.resolve("pipelines/adult-income/pipeline.yaml").toString(), "--output", adultRun.toString());
    assertEquals(0, trained.code(), trained.toString());
    // Built once per machine and cached (.ci/run builds it before the tests).
    baseImage = "tar://" + ProjectScript.run(PipelinesIT.ROOT.resolve("bin/base-image"), Map.of());
  }

  @AfterAll
  static void removeContainersAndImages() throws Exception {
    Podman.tryRun(60, "rm", "-f", "-t", "0", CONTAINER);
    Podman.tryRun(60, "rmi", "-f", SERVING, JOB);
  }

  /** {@code bin/beamline image ARGS} on the base image; returns the archive, loaded into podman. */
  static Path buildAndLoad(String name, String... args) throws Exception {
    Path archive = tmp.resolve(name + ".tar");
    List<String> all = new ArrayList<>(List.of("image"));
    all.addAll(List.of(args));
    all.addAll(List.of("--output", archive.toString()));
    String last = ProjectScript.run(BEAMLINE, Map.of("BEAMLINE_CDS", "0", "BEAMLINE_BASE_IMAGE", baseImage), all.toArray(String[]::new));
    System.out.println("$ beamline " + String.join(" ", all) + "\n" + last);
    Podman.run(180, "load", "-i", archive.toString());
    return archive;
  }

  static void waitForPing(URI base, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (ServerProcess.HTTP.send(HttpRequest.newBuilder(base.resolve("/ping")).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the container did not answer /ping within " + wait + ":\n" + Podman.tryRun(30, "logs", CONTAINER).output());
  }

  @Test
  void theScoringImageServesAsBeamlineServeDoesAndStopsCleanly() throws Exception {
    buildAndLoad("serving", "--model", adultRun.toString(), "--tag", SERVING);
    String labels = Podman.run(60, "image", "inspect", "--format", "{{json .Labels}} {{.Config.User}}", SERVING);
    assertTrue(labels.contains("\"dev.beamline.model.name\":\"adult\"") && labels.contains("\"dev.beamline.version\"")
        && labels.endsWith("65532:65532"), labels);

    int port = ServerProcess.freePort();
    URI container = URI.create("http://127.0.0.1:" + port);
    long start = System.nanoTime();
    Podman.run(120, "run", "-d", "--name", CONTAINER, "-p", "127.0.0.1:" + port + ":8080",
        "-e", "BEAMLINE_LOG_FORMAT=json", "-e", "BEAMLINE_MAX_BODY_BYTES=1000000", SERVING);
    waitForPing(container, Duration.ofSeconds(90));
    System.out.printf("container start to first /ping: %.1f s%n", (System.nanoTime() - start) / 1e9);
    assertEquals("65532", Podman.run(60, "exec", CONTAINER, "id", "-u"), "the server runs as a user, not root");

    // The same predictions as beamline serve on the host, and as the training run.
    Map<Long, Double> reference = AdultRows.readPredictions(adultRun.resolve("predictions/test.csv"), "probability");
    Map<Long, Double> inImage = AdultRows.scoreOverHttp(container);
    AdultRows.assertAgree("image (podman)", reference, inImage);
    int hostPort = ServerProcess.freePort();
    try (ServerProcess host = ServerProcess.start(List.of(BEAMLINE.toString(), "serve", "--model", adultRun.toString(), "--port",
        String.valueOf(hostPort)), Map.of("BEAMLINE_CDS", "0"), hostPort, tmp.resolve("host-serve.log"), Duration.ofSeconds(120))) {
      AdultRows.assertAgree("image against beamline serve", AdultRows.scoreOverHttp(host.uri), inImage);
    }

    // Probes, metrics (the model named as in the image's labels), bad input.
    HttpResponse<String> metrics = get(container, "/metrics");
    assertTrue(metrics.body().contains("beamline_model_info{model=\"adult\",run_id=\"\",version=\"local\"} 1"), metrics.body());
    HttpResponse<String> bad = post(container, "{\"dataframe_split\": ");
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("\"error_code\": \"BAD_REQUEST\"") || bad.body().contains("\"error_code\":\"BAD_REQUEST\""), bad.body());
    assertEquals(200, get(container, "/ping").statusCode(), "bad input never stops the server");
    HttpResponse<String> tooLarge = post(container, AdultRows.body(0, 10_000)); // about 1.2 MB, over BEAMLINE_MAX_BODY_BYTES
    assertEquals(413, tooLarge.statusCode(), "the environment sets the body limit: " + tooLarge.body());

    stopUnderLoad(container);
  }

  /**
   * SIGTERM (podman stop) while four clients send 200-row requests: every request sent before the signal is
   * answered 200 (the server drains what it took), later ones may be refused; the JVM stops by itself.
   */
  static void stopUnderLoad(URI container) throws Exception {
    String body = AdultRows.body(0, 200);
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    long[] stopAt = {Long.MAX_VALUE};
    ExecutorService clients = Executors.newFixedThreadPool(4);
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient(); // its own connections, none left by other tests
    List<Future<Integer>> answered = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      answered.add(clients.submit(() -> {
        int ok = 0;
        while (!done.get()) {
          long sent = System.nanoTime();
          try {
            HttpResponse<String> r = post(client, container, body);
            if (r.statusCode() == 200) {
              ok++;
            } else if (sent < stopAt[0] || r.statusCode() != 503) {
              failures.add("status " + r.statusCode() + ": " + r.body());
            }
          } catch (java.io.IOException e) {
            if (sent < stopAt[0] && !(e instanceof ConnectException)) {
              failures.add("a request sent " + (stopAt[0] - sent) / 1_000_000 + " ms before the stop failed: " + e);
            }
            Thread.sleep(20);
          }
        }
        return ok;
      }));
    }
    Thread.sleep(2000);
    stopAt[0] = System.nanoTime();
    Podman.run(90, "stop", "-t", "60", CONTAINER);
    done.set(true);
    clients.shutdown();
    assertTrue(clients.awaitTermination(90, TimeUnit.SECONDS));
    int ok = 0;
    for (Future<Integer> f : answered) {
      ok += f.get();
    }
    String state = Podman.run(60, "inspect", "--format", "{{.State.ExitCode}}", CONTAINER);
    String logs = Podman.run(60, "logs", CONTAINER);
    System.out.printf("SIGTERM under load: %d requests answered 200, failures %s, exit %s%n", ok, failures, state);
    assertTrue(ok > 0, "the clients were answered before the stop");
    assertTrue(failures.isEmpty(), failures.toString());
    assertEquals("143", state, "stopped by SIGTERM (143), not killed (137)\n" + logs);
    assertTrue(logs.contains("beamline serve: stopped"), logs);
    for (String line : logs.split("\n")) {
      assertTrue(line.startsWith("{\"timestamp\":") && line.endsWith("}"), "BEAMLINE_LOG_FORMAT=json: one JSON object a line: " + line);
    }
  }

  @Test
  void theJobImageScoresMountedFilesWithBeamlinePredict() throws Exception {
    buildAndLoad("job", "--job", "--tag", JOB);
    Path out = Files.createDirectories(tmp.resolve("job-out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx")); // the container's user writes here
    Podman.run(300, "run", "--rm", "-v", adultRun + ":/run:ro", "-v", AdultRows.FILE.getParent() + ":/data:ro", "-v", out + ":/out",
        JOB, "predict", "--model", "/run", "--input", "/data/adult.test", "--output", "/out/scored");
    Map<Long, Double> reference = AdultRows.readPredictions(adultRun.resolve("predictions/test.csv"), "probability");
    AdultRows.assertAgree("job image (beamline predict)", reference, AdultRows.readPredictions(out.resolve("scored/predictions.csv"), "probability"));
  }

  static HttpResponse<String> get(URI base, String path) throws Exception {
    return ServerProcess.HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(URI base, String body) throws Exception {
    return post(ServerProcess.HTTP, base, body);
  }

  static HttpResponse<String> post(java.net.http.HttpClient client, URI base, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(base.resolve("/invocations")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
