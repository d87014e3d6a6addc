package dev.beamline.plugins.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.tracking.TrackerFactory;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import dev.beamline.testkit.TrackerContract;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLflow tracker's error paths against a hand-written loopback HTTP server (the real MLflow server is
 * exercised by the integration tests): retries, refusals, credentials, multipart.
 */
class MlflowTrackerTest extends TrackerContract {
  private final List<Long> sleeps = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;

  @Override
  protected BeamlinePlugin plugin() {
    return new MlflowTrackerPlugin();
  }

  @Override
  protected TrackerFactory tracker() {
    return new MlflowTrackerFactory(Map.of("MLFLOW_TRACKING_TOKEN", "hunter2"), sleeps::add);
  }

  @Override
  protected Map<String, Object> fastFailConfig() {
    return Map.of("maxAttempts", 3, "timeoutSeconds", 2);
  }

  @Override
  protected URI unreachable(int closedPort) {
    return URI.create("http://127.0.0.1:" + closedPort);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A loopback server answering each request with the next of {@code answers} (status, body). */
  private URI serve(List<String[]> requests, Object[]... answers) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger n = new AtomicInteger();
    server.createContext("/", (HttpExchange x) -> {
      byte[] body = x.getRequestBody().readAllBytes();
      requests.add(new String[] {x.getRequestMethod(), x.getRequestURI().toString(), new String(body, StandardCharsets.UTF_8),
          String.valueOf(x.getRequestHeaders().getFirst("Authorization"))});
      Object[] a = answers[Math.min(n.getAndIncrement(), answers.length - 1)];
      byte[] out = String.valueOf(a[1]).replace("PORT", String.valueOf(server.getAddress().getPort())).getBytes(StandardCharsets.UTF_8);
      if (a.length > 2) {
        x.getResponseHeaders().add("ETag", String.valueOf(a[2]));
      }
      x.sendResponseHeaders((Integer) a[0], out.length == 0 ? -1 : out.length);
      x.getResponseBody().write(out);
      x.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private MlflowRest rest(URI base, int attempts) {
    return new MlflowRest(base, Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "hunter2")), Duration.ofSeconds(5),
        new Retry(attempts, Duration.ofMillis(500), sleeps::add), new AtomicLong());
  }

  @Test
  void fiveHundredsAreRetriedWithDoublingBackoff() throws Exception {
    List<String[]> requests = new ArrayList<>();
    URI base = serve(requests, new Object[] {503, "busy"}, new Object[] {500, "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"db\"}"},
        new Object[] {200, "{\"ok\": 1}"});
    assertEquals(1, rest(base, 5).post("mlflow/x", Map.of("a", 1)).path("ok").asInt());
    assertEquals(3, requests.size());
    assertEquals(List.of(500L, 1000L), sleeps);
    assertEquals("Bearer hunter2", requests.get(0)[3]);
  }

  @Test
  void aServerThatStaysDownIsUnavailableAfterTheAttempts() throws Exception {
    List<String[]> requests = new ArrayList<>();
    URI base = serve(requests, new Object[] {503, "busy"});
    TrackingUnavailableException e = assertThrows(TrackingUnavailableException.class, () -> rest(base, 4).get("mlflow/x", Map.of()));
    assertEquals(4, requests.size());
    assertEquals(List.of(500L, 1000L, 2000L), sleeps);
    assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void aRefusalIsNotRetriedAndCarriesTheServersErrorCode() throws Exception {
    List<String[]> requests = new ArrayList<>();
    URI base = serve(requests, new Object[] {400, "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"bad key\"}"});
    MlflowApiException e = assertThrows(MlflowApiException.class, () -> rest(base, 5).post("mlflow/runs/log-batch", Map.of()));
    assertEquals(1, requests.size());
    assertEquals("INVALID_PARAMETER_VALUE", e.errorCode());
    assertTrue(e.getMessage().contains("bad key"), e.getMessage());
  }

  @Test
  void theUploadedMlmodelNamesTheRunItWasLoggedUnder(@TempDir Path dir) throws Exception {
    Path mlmodel = dir.resolve("MLmodel");
    Files.writeString(mlmodel, "artifact_path: model\nflavors:\n  xgboost:\n    data: model.ubj");
    String uploaded = new String(MlflowSink.withRunId(mlmodel, "0123abcd"), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals("artifact_path: model\nflavors:\n  xgboost:\n    data: model.ubj\nrun_id: 0123abcd\n", uploaded);
    Files.writeString(mlmodel, uploaded);
    assertEquals(uploaded, new String(MlflowSink.withRunId(mlmodel, "ffff"), java.nio.charset.StandardCharsets.UTF_8), "an id is kept");
  }

  @Test
  void multipartFallsBackToOnePutWhenTheStoreCannotDoIt(@TempDir Path dir) throws Exception {
    List<String[]> requests = new ArrayList<>();
    URI base = serve(requests, new Object[] {501, "{\"error_code\":\"NOT_IMPLEMENTED\",\"message\":\"no\"}"});
    Path file = Files.writeString(dir.resolve("model.ubj"), "0123456789");
    assertFalse(new Multipart(rest(base, 3), 4).upload("1/r/artifacts/model/model.ubj", "model/model.ubj", file, 10));
    assertEquals("/api/2.0/mlflow-artifacts/mpu/create/1/r/artifacts/model", requests.get(0)[1]);
    assertTrue(requests.get(0)[2].contains("\"num_parts\":3"), requests.get(0)[2]);
  }

  @Test
  void multipartUploadsEachPartToItsUrlAndCompletes(@TempDir Path dir) throws Exception {
    List<String[]> requests = new ArrayList<>();
    String create = "{\"upload_id\":\"u1\",\"credentials\":[{\"part_number\":1,\"url\":\"http://127.0.0.1:PORT/bucket/p1\"},"
        + "{\"part_number\":2,\"url\":\"http://127.0.0.1:PORT/bucket/p2\",\"headers\":{\"x-amz-meta\":\"1\"}}]}";
    URI base = serve(requests, new Object[] {200, create}, new Object[] {200, "", "\"e1\""}, new Object[] {200, "", "\"e2\""},
        new Object[] {200, "{}"});
    Path file = Files.writeString(dir.resolve("model.ubj"), "0123456789");
    assertTrue(new Multipart(rest(base, 3), 6).upload("1/r/artifacts/model.ubj", "model.ubj", file, 10));
    assertEquals(4, requests.size());
    assertEquals("/bucket/p1", requests.get(1)[1]);
    assertEquals("012345", requests.get(1)[2]);
    assertEquals("6789", requests.get(2)[2]);
    assertEquals("/api/2.0/mlflow-artifacts/mpu/complete/1/r/artifacts", requests.get(3)[1]);
    assertTrue(requests.get(3)[2].contains("\"etag\":\"\\\"e2\\\"\""), requests.get(3)[2]);
    assertTrue(requests.get(3)[2].contains("\"upload_id\":\"u1\""), requests.get(3)[2]);
  }

  @Test
  void aServerThatNeverAnswersTimesOutOnEveryClient() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", x -> {
      requests.incrementAndGet();
      try {
        release.await(30, java.util.concurrent.TimeUnit.SECONDS); // accepts, never answers (until the test ends)
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      x.close();
    });
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    try {
      // The REST client (JDK HttpClient with a request timeout).
      MlflowRest rest = new MlflowRest(base, Credentials.fromEnvironment(Map.of()), Duration.ofSeconds(1),
          new Retry(2, Duration.ofMillis(10), sleeps::add), new AtomicLong());
      TrackingUnavailableException e = assertThrows(TrackingUnavailableException.class, () -> rest.get("mlflow/x", Map.of()));
      assertTrue(e.getMessage().contains("timed out"), e.getMessage());
      // MLflow's Java client, which has no timeout of its own: bounded by the wrapper.
      MlflowTracking tracking = new MlflowTracking(base, Credentials.fromEnvironment(Map.of()), Duration.ofSeconds(1),
          new Retry(2, Duration.ofMillis(10), sleeps::add), new AtomicLong());
      TrackingUnavailableException j = assertThrows(TrackingUnavailableException.class,
          () -> tracking.call("get experiment", c -> c.getExperimentByName("x")));
      assertTrue(j.getMessage().contains("timed out after 1 s"), j.getMessage());
      tracking.close();
      assertEquals(4, requests.get(), "two attempts on each client");
    } finally {
      release.countDown();
    }
  }

  @Test
  void credentialsComeFromTheEnvironmentAndAreNeverShown() {
    Credentials token = Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_TOKEN", "hunter2"));
    assertEquals("Bearer hunter2", token.authorization().orElseThrow());
    assertFalse(token.toString().contains("hunter2"));
    Credentials basic = Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_USERNAME", "ann", "MLFLOW_TRACKING_PASSWORD", "hunter2"));
    assertTrue(basic.authorization().orElseThrow().startsWith("Basic "));
    assertFalse(basic.toString().contains("hunter2"));
    assertTrue(Credentials.fromEnvironment(Map.of()).authorization().isEmpty());
    ConfigException e = assertThrows(ConfigException.class,
        () -> Credentials.fromEnvironment(Map.of("MLFLOW_TRACKING_USERNAME", "ann")));
    assertTrue(e.getMessage().contains("MLFLOW_TRACKING_PASSWORD"));
  }

  @Test
  void onlyHttpUrisWithoutUserInformationAreAccepted() {
    MlflowTrackerFactory f = new MlflowTrackerFactory(Map.of(), sleeps::add);
    var config = f.configSpec().validate("mlflow", Map.of());
    ConfigException scheme = assertThrows(ConfigException.class, () -> f.open(URI.create("file:///tmp/mlruns"), config));
    assertTrue(scheme.getMessage().contains("http(s)"), scheme.getMessage());
    ConfigException userinfo = assertThrows(ConfigException.class, () -> f.open(URI.create("http://ann:hunter2@127.0.0.1:5000"), config));
    assertFalse(userinfo.getMessage().contains("hunter2"), userinfo.getMessage());
  }

  @Test
  void artifactUrisOfTheProxyMapToProxyPaths() {
    assertEquals("1/abc/artifacts", MlflowSink.proxyPath("mlflow-artifacts:/1/abc/artifacts"));
    assertEquals("1/abc/artifacts", MlflowSink.proxyPath("mlflow-artifacts://host:5000/1/abc/artifacts/"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> MlflowSink.proxyPath("s3://bucket/1/abc/artifacts"));
    assertTrue(e.getMessage().contains("--artifacts-destination"), e.getMessage());
  }
}
