package dev.beamline.plugins.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials for an MLflow server, from the environment MLflow's own clients read: {@code
 * MLFLOW_TRACKING_TOKEN} (bearer), else {@code MLFLOW_TRACKING_USERNAME} and {@code
 * MLFLOW_TRACKING_PASSWORD} (basic). Never printed: {@link #toString()} says only which kind is in use.
 */
final class Credentials {
  private final String token;
  private final String username;
  private final String password;

  private Credentials(String token, String username, String password) {
    this.token = token;
    this.username = username;
    this.password = password;
  }

  static Credentials fromEnvironment(Map<String, String> env) {
    String token = blankToNull(env.get("MLFLOW_TRACKING_TOKEN"));
    String user = blankToNull(env.get("MLFLOW_TRACKING_USERNAME"));
    String password = env.get("MLFLOW_TRACKING_PASSWORD");
    if (token == null && user != null && password == null) {
      throw new dev.beamline.spi.config.ConfigException(
          "MLFLOW_TRACKING_USERNAME is set but MLFLOW_TRACKING_PASSWORD is not; set both (or MLFLOW_TRACKING_TOKEN)");
    }
    return new Credentials(token, token == null ? user : null, token == null && user != null ? password : null);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The {@code Authorization} header's value, if any. */
  Optional<String> authorization() {
    if (token != null) {
      return Optional.of("Bearer " + token);
    }
    if (username != null) {
      return Optional.of("Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return Optional.empty();
  }

  String token() {
    return token;
  }

  String username() {
    return username;
  }

  String password() {
    return password;
  }

  @Override
  public String toString() {
    return token != null ? "Credentials[token ****]" : username != null ? "Credentials[basic ****]" : "Credentials[none]";
  }
}
