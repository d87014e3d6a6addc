package dev.beamline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.junit.jupiter.api.Test;

/** The answers Jetty writes itself come in MLflow's error shape, not as an HTML page. */
class JsonErrorsTest {
  private static Server server(GracefulHandler handler) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    server.setErrorHandler(new ScoringServer.JsonErrors());
    server.start();
    return server;
  }

  private static HttpResponse<String> get(Server server) throws Exception {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void jettysOwnAnswersAreMlflowErrors() throws Exception {
    Server server = server(new GracefulHandler()); // nothing inside: every request is Jetty's own 404
    try {
      HttpResponse<String> r = get(server);
      assertEquals(404, r.statusCode());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
      assertTrue(r.body().startsWith("{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":"), r.body());
    } finally {
      server.stop();
    }
  }

  @Test
  void aRequestWhileTheServerStopsIs503InMlflowsShape() throws Exception {
    GracefulHandler graceful = new GracefulHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) {
        callback.succeeded(); // 200, empty
        return true;
      }
    });
    Server server = server(graceful);
    assertEquals(200, get(server).statusCode());
    try {
      graceful.shutdown(); // what a stop does first, before it closes the connector
      HttpResponse<String> r = get(server);
      assertEquals(503, r.statusCode());
      assertTrue(r.body().startsWith("{\"error_code\":\"TEMPORARILY_UNAVAILABLE\",\"message\":\"the server is stopping"), r.body());
    } finally {
      server.stop();
    }
  }
}
