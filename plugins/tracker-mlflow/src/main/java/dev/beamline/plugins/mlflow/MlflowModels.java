package dev.beamline.plugins.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.tracking.ModelNotFoundException;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves {@code runs:/<run_id>/<path>} (a whole run: {@code runs:/<run_id>}), {@code models:/<name>/<version>} and {@code models:/<name>@<alias>}
 * to a local directory, downloaded through the artifact proxy into {@code cache/<server>/...} once: a
 * version's files never change, so a cached version is used as is (an alias is looked up each time).
 * Downloads land in a temporary directory renamed into place, so a half-downloaded model is never used.
 */
final class MlflowModels {
  private static final Pattern RUNS = Pattern.compile("runs:/([0-9a-zA-Z]+)(?:/(.*))?");
  private static final Pattern VERSION = Pattern.compile("models:/([^/@]+)/([0-9]+)");
  private static final Pattern ALIAS = Pattern.compile("models:/([^/@]+)@([^/@]+)");

  private final MlflowTracking tracking;
  private final MlflowRest rest;

  MlflowModels(MlflowTracking tracking, MlflowRest rest) {
    this.tracking = tracking;
    this.rest = rest;
  }

  Path fetch(String uri, Path cache) throws IOException, TrackingUnavailableException {
    Path server = cache.resolve(rest.base().getHost() + "_" + rest.base().getPort());
    Matcher m;
    if ((m = RUNS.matcher(uri)).matches()) {
      String runId = m.group(1);
      String path = m.group(2) == null ? "" : m.group(2).replaceAll("/+$", "");
      // A whole run (runs:/ID: its statistics, schema and model, for a data check) is kept apart from its parts.
      Path local = path.isEmpty() ? server.resolve("run-artifacts").resolve(runId) : server.resolve("runs").resolve(runId).resolve(path);
      if (Files.isDirectory(local)) {
        return local;
      }
      String artifactUri = runArtifactUri(runId);
      return download(MlflowSink.proxyPath(artifactUri) + (path.isEmpty() ? "" : "/" + path), local);
    }
    String name;
    String version;
    if ((m = VERSION.matcher(uri)).matches()) {
      name = m.group(1);
      version = m.group(2);
    } else if ((m = ALIAS.matcher(uri)).matches()) {
      name = m.group(1);
      JsonNode v = get("mlflow/registered-models/alias", Map.of("name", name, "alias", m.group(2)), uri);
      version = v.path("model_version").path("version").asText();
    } else {
      throw new ConfigException(uri + ": not a model URI; use runs:/<run_id>/<path>, models:/<name>/<version> or models:/<name>@<alias>");
    }
    Path local = server.resolve("models").resolve(safe(name)).resolve(version);
    if (Files.isDirectory(local)) {
      return local;
    }
    String artifactUri = get("mlflow/model-versions/get-download-uri", Map.of("name", name, "version", version), uri)
        .path("artifact_uri").asText();
    return download(MlflowSink.proxyPath(artifactUri), local);
  }

  private String runArtifactUri(String runId) throws TrackingUnavailableException {
    try {
      return tracking.call("get run", c -> c.getRun(runId)).getInfo().getArtifactUri();
    } catch (MlflowApiException e) {
      if (e.status() == 404 || e.status() == 400) {
        throw new ConfigException("runs:/" + runId + ": no such run on " + rest.base(), e);
      }
      throw e;
    }
  }

  private JsonNode get(String path, Map<String, String> query, String uri) throws TrackingUnavailableException {
    try {
      return rest.get(path, query);
    } catch (MlflowApiException e) {
      if (e.status() == 404 || "RESOURCE_DOES_NOT_EXIST".equals(e.errorCode()) || "INVALID_PARAMETER_VALUE".equals(e.errorCode())) {
        throw new ModelNotFoundException(uri + ": not found on " + rest.base() + " (" + e.getMessage() + ")", e);
      }
      throw e;
    }
  }

  private Path download(String root, Path local) throws IOException, TrackingUnavailableException {
    Files.createDirectories(local.getParent());
    Path tmp = local.resolveSibling("." + local.getFileName() + ".download-" + UUID.randomUUID().toString().substring(0, 8));
    try {
      int files = copyTree(root, "", tmp);
      if (files == 0) {
        throw new ConfigException(root + ": the server has no files there");
      }
      try {
        Files.move(tmp, local, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, local);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // another process finished the same download first: use theirs
      }
      return local;
    } finally {
      if (Files.exists(tmp)) {
        try (Stream<Path> walk = Files.walk(tmp)) {
          walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private int copyTree(String root, String rel, Path into) throws TrackingUnavailableException {
    String dir = rel.isEmpty() ? root : root + "/" + rel;
    int count = 0;
    for (JsonNode f : rest.list(dir)) {
      String p = f.path("path").asText();
      String name = p.substring(p.lastIndexOf('/') + 1);
      if (name.isEmpty() || name.equals("..") || name.equals(".")) {
        continue;
      }
      String child = rel.isEmpty() ? name : rel + "/" + name;
      if (f.path("is_dir").asBoolean()) {
        count += copyTree(root, child, into);
      } else {
        rest.download(root + "/" + child, into.resolve(child));
        count++;
      }
    }
    return count;
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
