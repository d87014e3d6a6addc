package dev.beamline.plugins.mlflow;

import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;

/**
 * The tracking calls, through MLflow's Java client ({@code org.mlflow:mlflow-client}). The client has no
 * timeouts and retries only 429s, so each call runs on a worker thread bounded by the timeout (a call that
 * hangs is abandoned and the client replaced) and is retried like every REST call ({@link Retry}).
 */
final class MlflowTracking implements AutoCloseable {
  private final URI base;
  private final Credentials credentials;
  private final Duration timeout;
  private final Retry retry;
  private final AtomicLong calls;
  private final ExecutorService worker = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "beamline-mlflow-client");
    t.setDaemon(true);
    return t;
  });
  private MlflowClient client;

  MlflowTracking(URI base, Credentials credentials, Duration timeout, Retry retry, AtomicLong calls) {
    this.base = base;
    this.credentials = credentials;
    this.timeout = timeout;
    this.retry = retry;
    this.calls = calls;
  }

  private synchronized MlflowClient client() {
    if (client == null) {
      String host = base.toString().replaceAll("/+$", "");
      BasicMlflowHostCreds creds = credentials.token() != null ? new BasicMlflowHostCreds(host, credentials.token())
          : credentials.username() != null ? new BasicMlflowHostCreds(host, credentials.username(), credentials.password())
          : new BasicMlflowHostCreds(host);
      client = new MlflowClient(creds);
    }
    return client;
  }

  private synchronized void replaceClient() {
    if (client != null) {
      try {
        client.close();
      } catch (RuntimeException ignored) {
        // the abandoned call's connection dies with it
      }
      client = null;
    }
  }

  /** Runs a Java-client call with a timeout and retries. */
  <T> T call(String what, Function<MlflowClient, T> call) throws TrackingUnavailableException {
    return retry.call(what, () -> {
      calls.incrementAndGet();
      MlflowClient c = client();
      Future<T> f = worker.submit(() -> call.apply(c));
      try {
        return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        f.cancel(true);
        replaceClient();
        throw new Retry.Transient(what + ": timed out after " + timeout.toSeconds() + " s", e);
      } catch (InterruptedException e) {
        f.cancel(true);
        Thread.currentThread().interrupt();
        throw new Retry.Transient(what + ": interrupted", e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof MlflowHttpException h) {
          MlflowRest.check(what, h.getStatusCode(), h.getBodyMessage());
          throw new MlflowApiException(what, h.getStatusCode(), null, h.getBodyMessage());
        }
        if (cause instanceof MlflowClientException m && m.getCause() instanceof java.io.IOException io) {
          throw new Retry.Transient(what + ": " + MlflowRest.describe(io), m);
        }
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(what + ": " + cause, cause);
      }
    });
  }

  @Override
  public void close() {
    replaceClient();
    worker.shutdownNow();
  }
}
