package dev.beamline.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.scoring.Issue;
import dev.beamline.scoring.RawRows;
import dev.beamline.scoring.Scorer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online scoring server (Jetty): MLflow's scoring protocol on raw columns ({@code GET /ping},
 * {@code /health}, {@code /version}, {@code POST /invocations}), Prometheus metrics at {@code GET /metrics},
 * optional bearer-token auth, a body limit, and a graceful stop that lets the requests in flight finish.
 * Bad input is answered with a status and a message naming the problem; it never stops the server.
 */
public final class ScoringServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How the server runs.
   *
   * @param host the address to bind (default 127.0.0.1: loopback only)
   * @param port the port (0: a free one)
   * @param maxBodyBytes the largest request body accepted (413 beyond)
   * @param token the bearer token every request but /ping and /health must carry, or {@code null} for none
   * @param poll how often a {@code models:/NAME@ALIAS} is looked up again (zero: never)
   * @param drain how long a stop waits for the requests in flight
   * @param version the text {@code GET /version} answers
   */
  public record Options(String host, int port, long maxBodyBytes, String token, Duration poll, Duration drain, String version) {
    public Options {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(poll, "poll");
      Objects.requireNonNull(drain, "drain");
      Objects.requireNonNull(version, "version");
      if (maxBodyBytes < 1) {
        throw new IllegalArgumentException("the body limit must be at least 1 byte");
      }
    }
  }

  private final ModelHolder holder;
  private final Options options;
  private final ServingMetrics metrics;
  private final Server server;
  private final ServerConnector connector;
  private final AliasPoller poller;
  /**
   * Scores the bodies too large to score on the selector thread: one thread per core and a FIFO queue, so
   * that under load requests are answered in the order they came. (Jetty's pool runs up to 64 at once: on
   * one core each then took 64 times as long, and some far longer: 100-row requests at concurrency 64 had
   * a p99 of 940 ms against a p50 of 30 ms.)
   */
  private final ExecutorService scoring;

  /** Starts serving; the loader's first model must be loaded already (as {@code first}). */
  public static ScoringServer start(ModelLoader loader, ModelHolder.Loaded first, Options options) throws Exception {
    ServingMetrics metrics = new ServingMetrics();
    ModelHolder holder = new ModelHolder(first, metrics::serving);
    return new ScoringServer(loader, holder, metrics, options);
  }

  private ScoringServer(ModelLoader loader, ModelHolder holder, ServingMetrics metrics, Options options) throws Exception {
    this.holder = holder;
    this.options = options;
    this.metrics = metrics;
    AtomicInteger scorers = new AtomicInteger();
    this.scoring = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), task -> {
      Thread t = new Thread(task, "beamline-score-" + scorers.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("beamline-http");
    this.server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(options.host());
    connector.setPort(options.port());
    server.addConnector(connector);
    server.setHandler(new GracefulHandler(new Router()));
    server.setErrorHandler(new JsonErrors());
    server.setStopTimeout(options.drain().toMillis());
    server.start();
    this.poller = loader.location().isAlias() && !options.poll().isZero() ? new AliasPoller(loader, holder, options.poll()) : null;
  }

  /** The port the server listens on. */
  public int port() {
    return connector.getLocalPort();
  }

  /** The model holder (what is served now). */
  public ModelHolder holder() {
    return holder;
  }

  /** Blocks until the server has stopped. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops taking requests, lets those in flight finish (up to the drain time), then frees the model. */
  @Override
  public void close() throws Exception {
    if (poller != null) {
      poller.close();
    }
    try {
      server.stop();
    } finally {
      scoring.shutdown();
      scoring.awaitTermination(options.drain().toMillis(), TimeUnit.MILLISECONDS);
      holder.close();
    }
  }

  /** One answer. */
  private record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
    static Answer json(int status, String body) {
      return new Answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Answer error(BadRequest e) {
      if (e.plainText) {
        return new Answer(e.status, "text/plain; charset=utf-8", e.getMessage().getBytes(StandardCharsets.UTF_8), Map.of());
      }
      return new Answer(e.status, "application/json", errorBody(e.errorCode, e.getMessage()), Map.of());
    }
  }

  /** MLflow's error body: {@code {"error_code": CODE, "message": MESSAGE}}. */
  static byte[] errorBody(String errorCode, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", errorCode);
    body.put("message", message);
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException io) {
      throw new IllegalStateException(io);
    }
  }

  /** The work of one answer, which may fail with a status. */
  private interface Work {
    Answer run() throws Exception;
  }

  /**
   * Routes requests. Non-blocking: a small request is answered on the thread that read it (the selector
   * thread: no hand-off to a pool thread, the largest cost of a one-row request after the JSON and the
   * trees); a body over {@link #INLINE_BYTES} is scored by {@link #scoring} so that it cannot hold up the
   * connections that share the selector.
   */
  private final class Router extends Handler.Abstract {
    /** Bodies up to this size (about 25 adult rows) are scored inline: tens of microseconds. */
    static final int INLINE_BYTES = 4 * 1024;

    Router() {
      super(InvocationType.NON_BLOCKING);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      long start = System.nanoTime();
      String path = Request.getPathInContext(request);
      if (path.equals("/invocations") && request.getMethod().equals("POST")) {
        try {
          authorize(request);
          if (request.getLength() > options.maxBodyBytes()) {
            throw tooLarge(request.getLength());
          }
        } catch (BadRequest e) {
          refuse(request, response, callback, path, start, e);
          return true;
        }
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, options.maxBodyBytes());
        Content.Source.asByteArrayAsync(request, limit).whenComplete((body, failure) -> {
          if (failure != null && request.getLength() < 0 && !(failure instanceof IOException)) {
            refuse(request, response, callback, path, start, tooLarge(-1)); // a chunked body past the limit
            return;
          }
          Work work = () -> {
            if (failure != null) {
              throw new IOException("reading the body", failure);
            }
            return invocations(request, body);
          };
          if (body != null && body.length > INLINE_BYTES) {
            scoring.execute(() -> send(request, response, callback, path, start, work));
          } else {
            send(request, response, callback, path, start, work);
          }
        });
        return true;
      }
      send(request, response, callback, path, start, () -> route(request, path));
      return true;
    }

    /**
     * Answers a request refused before its body was read. The body (what is left of it) is read and dropped
     * first, up to {@link #discardBytes()}: a server that closes a connection while the client is still
     * sending resets it, and the client may lose the answer and see only a broken connection. A body declared
     * larger than that is answered at once, and the connection closed.
     */
    private void refuse(Request request, Response response, Callback callback, String path, long start, BadRequest refusal) {
      Runnable answer = () -> send(request, response, callback, path, start, () -> {
        throw refusal;
      });
      Runnable answerAndClose = () -> {
        response.getHeaders().put(HttpHeader.CONNECTION, "close"); // the body stays unread: the connection cannot carry another request
        answer.run();
      };
      long most = discardBytes();
      if (request.getLength() > most) {
        answerAndClose.run();
        return;
      }
      new Discard(request, most, answer, answerAndClose).run();
    }

    /** The most of a refused body read and dropped before answering: four times the limit, at least 8 MiB. */
    private long discardBytes() {
      return Math.max(8L << 20, 4 * Math.min(options.maxBodyBytes(), Long.MAX_VALUE / 4));
    }

    /** Runs the work and writes its answer, or the error it failed with. */
    private void send(Request request, Response response, Callback callback, String path, long start, Work work) {
      Answer answer;
      try {
        answer = work.run();
      } catch (BadRequest e) {
        answer = Answer.error(e);
      } catch (Exception | Error e) {
        LOG.error("{} {} failed", request.getMethod(), path, e);
        answer = Answer.error(new BadRequest(500, "INTERNAL_ERROR", "the server failed to answer: " + e));
      }
      response.setStatus(answer.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
      answer.headers().forEach((k, v) -> response.getHeaders().put(k, v));
      metrics.request(path, answer.status(), (System.nanoTime() - start) / 1e9);
      response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }

    private Answer route(Request request, String path) throws Exception {
      String method = request.getMethod();
      boolean get = method.equals("GET") || method.equals("HEAD");
      switch (path) {
        case "/ping", "/health" -> {
          return get ? Answer.json(200, "\n") : notAllowed();
        }
        case "/version", "/metrics", "/invocations" -> {
          authorize(request);
          if (path.equals("/invocations")) {
            return notAllowed(); // POST is handled before routing
          }
          if (!get) {
            return notAllowed();
          }
          return path.equals("/version") ? Answer.json(200, options.version())
              : new Answer(200, metrics.contentType(), metrics.scrape(), Map.of());
        }
        default -> {
          return Answer.json(404, "{\"detail\":\"Not Found\"}");
        }
      }
    }

    private Answer notAllowed() {
      return Answer.json(405, "{\"detail\":\"Method Not Allowed\"}");
    }

    private void authorize(Request request) throws BadRequest {
      if (options.token() == null) {
        return;
      }
      String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
      byte[] expected = ("Bearer " + options.token()).getBytes(StandardCharsets.UTF_8);
      if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
        throw new BadRequest(401, "UNAUTHENTICATED", "give the server's token as 'Authorization: Bearer TOKEN'");
      }
    }

    private Answer invocations(Request request, byte[] body) throws Exception {
      RawRows rows = Invocations.parse(request.getHeaders().get(HttpHeader.CONTENT_TYPE), body);
      ModelHolder.ScoredWith scored = holder.score(rows);
      Scorer.Result result = scored.result();
      long rejected = result.rejected();
      metrics.scored(rows.size() - rejected, result.issues(), rejected);
      if (rejected > 0) {
        // MLflow's code for input its schema enforcement refuses (a missing column, a value of the wrong type).
        throw new BadRequest(400, "INVALID_PARAMETER_VALUE", rejected + " of " + rows.size() + " rows cannot be scored: "
            + describe(result.issues()));
      }
      // The version that answered, and (when rows were scored despite a problem) how many problems and the first few.
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Beamline-Model-Version", scored.model().version());
      if (!result.issues().isEmpty()) {
        headers.put("Beamline-Row-Issues", result.issues().size() + ": " + describe(result.issues().subList(0, Math.min(3, result.issues().size()))));
      }
      return new Answer(200, "application/json", predictions(result.predictions(), scored.model().scorer().task().predictionWidth() > 1), headers);
    }

    private BadRequest tooLarge(long declared) {
      return new BadRequest(413, "REQUEST_LIMIT_EXCEEDED", "the request body " + (declared >= 0 ? "(" + declared + " bytes) " : "")
          + "is larger than the server's limit of " + options.maxBodyBytes() + " bytes (beamline serve --max-body-bytes)");
    }
  }

  /**
   * Reads a request's body and drops it, up to a number of bytes; then runs {@code done}, or {@code cut} if
   * the body was longer or could not be read. Reads what has arrived and asks to be called again when more does.
   */
  static final class Discard implements Runnable {
    private final Content.Source body;
    private final long most;
    private final Runnable done;
    private final Runnable cut;
    private long read;

    Discard(Content.Source body, long most, Runnable done, Runnable cut) {
      this.body = body;
      this.most = most;
      this.done = done;
      this.cut = cut;
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = body.read();
        if (chunk == null) {
          body.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          cut.run();
          return;
        }
        read += chunk.remaining();
        boolean last = chunk.isLast();
        chunk.release();
        if (last || read > most) {
          (last && read <= most ? done : cut).run();
          return;
        }
      }
    }
  }

  /**
   * The answers Jetty writes itself (a request that comes while the server stops, a request line it cannot
   * parse) in MLflow's error shape instead of an HTML page, so that a client reads every error one way.
   */
  static final class JsonErrors extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback)
        throws IOException {
      String errorCode = switch (code) {
        case 400 -> "MALFORMED_REQUEST";
        case 404 -> "ENDPOINT_NOT_FOUND";
        case 413 -> "REQUEST_LIMIT_EXCEEDED";
        case 503 -> "TEMPORARILY_UNAVAILABLE";
        default -> "INTERNAL_ERROR";
      };
      String text = code == 503 ? "the server is stopping; send the request to another replica"
          : message != null ? message : org.eclipse.jetty.http.HttpStatus.getMessage(code);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      response.write(true, ByteBuffer.wrap(errorBody(errorCode, text)), callback);
    }
  }

  /** Up to ten issues in one line. */
  static String describe(List<Issue> issues) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(10, issues.size()); i++) {
      b.append(i == 0 ? "" : "; ").append(issues.get(i).describe());
    }
    if (issues.size() > 10) {
      b.append("; and ").append(issues.size() - 10).append(" more");
    }
    return b.toString();
  }

  /** {@code {"predictions": [...]}} as MLflow writes it: one number per row, or one list per row (multi-class). */
  static byte[] predictions(float[][] predictions, boolean perClass) {
    StringBuilder b = new StringBuilder(16 + predictions.length * 24).append("{\"predictions\": [");
    for (int r = 0; r < predictions.length; r++) {
      if (r > 0) {
        b.append(", ");
      }
      if (perClass) {
        b.append('[');
        for (int k = 0; k < predictions[r].length; k++) {
          b.append(k == 0 ? "" : ", ").append((double) predictions[r][k]);
        }
        b.append(']');
      } else {
        b.append((double) predictions[r][0]);
      }
    }
    return b.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
