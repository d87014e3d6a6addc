package dev.beamline.plugins.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * MLflow's REST API over the JDK's HTTP client, for what the Java client lacks: the artifact proxy
 * ({@code mlflow-artifacts}), the model registry's writes, aliases and dataset inputs. Every call has a
 * timeout and is retried while the server is unreachable (see {@link Retry}); 4xx answers become
 * {@link MlflowApiException} with the server's error code and message. Credentials go only into the
 * {@code Authorization} header, never into messages.
 */
final class MlflowRest {
  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final Credentials credentials;
  private final Duration timeout;
  private final Retry retry;
  private final HttpClient http;
  private final AtomicLong calls;

  MlflowRest(URI base, Credentials credentials, Duration timeout, Retry retry, AtomicLong calls) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.credentials = credentials;
    this.timeout = timeout;
    this.retry = retry;
    this.calls = calls;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  URI base() {
    return base;
  }

  /** POST of a JSON body to {@code /api/2.0/<path>}; returns the JSON answer. */
  JsonNode post(String path, Object body) throws TrackingUnavailableException {
    byte[] json = bytes(body);
    return send("POST " + path, () -> request("/api/2.0/" + path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
  }

  /** GET of {@code /api/2.0/<path>?query}; returns the JSON answer. */
  JsonNode get(String path, Map<String, String> query) throws TrackingUnavailableException {
    String q = query(query);
    return send("GET " + path, () -> request("/api/2.0/" + path + q).GET().build());
  }

  /** PUT of a file's bytes to an artifact path of the proxy. */
  void upload(String artifactPath, Path file) throws TrackingUnavailableException {
    send("upload " + artifactPath, () -> {
      try {
        return request("/api/2.0/mlflow-artifacts/artifacts/" + encodePath(artifactPath))
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofFile(file)).build();
      } catch (java.io.FileNotFoundException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  /** PUT of bytes to the artifact proxy. */
  void upload(String artifactPath, byte[] bytes) throws TrackingUnavailableException {
    send("upload " + artifactPath, () -> request("/api/2.0/mlflow-artifacts/artifacts/" + encodePath(artifactPath))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
  }

  /** PUT of a byte range of a file to a (presigned) URL; returns the answer's ETag. */
  String uploadPart(URI url, Map<String, String> headers, Path file, long offset, long length) throws TrackingUnavailableException {
    String[] etag = new String[1];
    retry.call("upload part to " + url.getHost(), () -> {
      HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout.multipliedBy(10))
          .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, offset, length)));
      headers.forEach(b::header);
      HttpResponse<String> r = exchange(b.build(), HttpResponse.BodyHandlers.ofString());
      check("upload part", r.statusCode(), r.body());
      etag[0] = r.headers().firstValue("ETag").orElse("");
      return null;
    });
    return etag[0];
  }

  /** Lists an artifact directory of the proxy: (name, isDir, size) with names relative to {@code dir}. */
  List<JsonNode> list(String dir) throws TrackingUnavailableException {
    JsonNode answer = send("list " + dir, () -> request("/api/2.0/mlflow-artifacts/artifacts" + query(Map.of("path", dir))).GET().build());
    List<JsonNode> out = new ArrayList<>();
    answer.path("files").forEach(out::add);
    return out;
  }

  /** Downloads an artifact of the proxy into {@code to} (written beside it first, then moved). */
  void download(String artifactPath, Path to) throws TrackingUnavailableException {
    retry.call("download " + artifactPath, () -> {
      HttpRequest req = request("/api/2.0/mlflow-artifacts/artifacts/" + encodePath(artifactPath)).timeout(timeout.multipliedBy(10))
          .GET().build();
      Path tmp = to.resolveSibling(to.getFileName() + ".part");
      try {
        Files.createDirectories(to.getParent());
        HttpResponse<Path> r = exchange(req, HttpResponse.BodyHandlers.ofFile(tmp));
        if (r.statusCode() >= 300) {
          String body = Files.readString(tmp);
          Files.deleteIfExists(tmp);
          check("download " + artifactPath, r.statusCode(), body);
        }
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new Retry.Transient("download " + artifactPath + ": " + e.getMessage(), e);
      }
      return null;
    });
  }

  private JsonNode send(String what, Supplier<HttpRequest> request) throws TrackingUnavailableException {
    return retry.call(what, () -> {
      HttpResponse<String> r = exchange(request.get(), HttpResponse.BodyHandlers.ofString());
      check(what, r.statusCode(), r.body());
      try {
        return r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
      } catch (IOException e) {
        throw new MlflowApiException(what, r.statusCode(), null, "the answer is not JSON: " + abbreviate(r.body()));
      }
    });
  }

  private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws Retry.Transient {
    calls.incrementAndGet();
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new Retry.Transient(request.method() + " " + request.uri().getPath() + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Retry.Transient("interrupted", e);
    }
  }

  /** Throws on an error answer: transient for 429 and 5xx, {@link MlflowApiException} for the rest. */
  static void check(String what, int status, String body) throws Retry.Transient {
    if (status < 300) {
      return;
    }
    String code = null;
    String message = abbreviate(body);
    try {
      JsonNode j = JSON.readTree(body);
      if (j != null && j.has("error_code")) {
        code = j.get("error_code").asText();
        message = j.path("message").asText();
      }
    } catch (IOException | RuntimeException ignored) {
      // not JSON: keep the text
    }
    if (status == 429 || status >= 500 && status != 501) {
      throw new Retry.Transient(what + ": HTTP " + status + (code == null ? "" : " " + code) + ": " + message, null);
    }
    throw new MlflowApiException(what, status, code, message);
  }

  static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "timed out";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(timeout);
    credentials.authorization().ifPresent(a -> b.header("Authorization", a));
    return b;
  }

  private static InputStream slice(Path file, long offset, long length) {
    try {
      InputStream in = Files.newInputStream(file);
      in.skipNBytes(offset);
      return new java.io.FilterInputStream(in) {
        long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          int b = super.read();
          if (b >= 0) {
            left--;
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int n = super.read(buf, off, (int) Math.min(len, left));
          if (n > 0) {
            left -= n;
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String encodePath(String path) {
    StringBuilder sb = new StringBuilder();
    for (String part : path.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return sb.toString();
  }

  private static String query(Map<String, String> query) {
    if (query.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("?");
    query.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return sb.toString();
  }

  private static byte[] bytes(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String t = s.strip();
    return t.length() > 300 ? t.substring(0, 300) + "..." : t;
  }
}
