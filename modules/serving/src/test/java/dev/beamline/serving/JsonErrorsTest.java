package dev.beamline.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The answers Jetty writes itself come in MLflow's error shape, not as an HTML page. */
class JsonErrorsTest {
  @Test
  void jettysOwnAnswersAreMlflowErrors() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setErrorHandler(new ScoringServer.JsonErrors());
    server.start(); // no handler: every request is Jetty's own 404
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/x"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, r.statusCode());
      assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
      assertTrue(r.body().startsWith("{\"error_code\":\"ENDPOINT_NOT_FOUND\",\"message\":"), r.body());
    } finally {
      server.stop();
    }
  }
}
