package dev.beamline.plugins.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.tracking.Delivery;
import dev.beamline.spi.tracking.TrackingEvent;
import dev.beamline.spi.tracking.TrackingSink;
import dev.beamline.spi.tracking.TrackingUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mlflow.api.proto.Service;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a run's events to an MLflow server. State kept between syncs: {@code experimentId},
 * {@code runId}, {@code artifactUri}, {@code modelVersion}. Re-deliveries are made harmless: the run is
 * found by its {@code beamline.run_uid} tag before one is created; params and metric points already on
 * the server are not sent again; a model version of the same run is reused; uploads overwrite.
 */
final class MlflowSink implements TrackingSink {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowSink.class);
  static final int MAX_TAG_VALUE = 8000;

  private final MlflowTrackerFactory.Connection connection;
  private final MlflowTracking tracking;
  private final MlflowRest rest;
  private final long multipartThreshold;
  private final long partSize;
  private final long registrationWaitMillis;
  private long callsBefore = -1;

  MlflowSink(MlflowTrackerFactory.Connection connection, StageConfig config) {
    this.connection = connection;
    this.tracking = connection.tracking();
    this.rest = connection.rest();
    this.multipartThreshold = config.getInt("multipartThresholdMb") * 1024L * 1024L;
    this.partSize = Math.max(5, config.getInt("multipartPartMb")) * 1024L * 1024L;
    this.registrationWaitMillis = config.getInt("registrationWaitSeconds") * 1000L;
  }

  @Override
  public void deliver(TrackingEvent event, Delivery delivery) throws TrackingUnavailableException {
    Map<String, String> state = delivery.state();
    if (callsBefore < 0) {
      callsBefore = Long.parseLong(state.getOrDefault("httpCalls", "0"));
    }
    try {
      if (event instanceof TrackingEvent.RunStarted e) {
        runStarted(e, state);
        return;
      }
      String runId = state.get("runId");
      if (runId == null) {
        throw new IllegalStateException("no MLflow run yet: the journal's run_started was not delivered");
      }
      if (event instanceof TrackingEvent.ParamsLogged e) {
        params(runId, e, delivery.maybeDelivered());
      } else if (event instanceof TrackingEvent.MetricsLogged e) {
        metrics(runId, e, delivery.maybeDelivered());
      } else if (event instanceof TrackingEvent.InputsLogged e) {
        inputs(runId, e);
      } else if (event instanceof TrackingEvent.ArtifactsLogged e) {
        artifacts(runId, state.get("artifactUri"), e, delivery.runDirectory());
      } else if (event instanceof TrackingEvent.ModelRegistered e) {
        register(runId, state, e);
      } else if (event instanceof TrackingEvent.TagsSet e) {
        tags(runId, e);
      } else if (event instanceof TrackingEvent.RunEnded e) {
        ended(runId, e);
      } else if (event instanceof TrackingEvent.ChildRun e) {
        childRun(runId, state, e);
      }
    } finally {
      long total = callsBefore + connection.calls().get();
      state.put("httpCalls", Long.toString(total));
      state.put("display.calls", total + " HTTP requests in all");
    }
  }

  private void runStarted(TrackingEvent.RunStarted e, Map<String, String> state) throws TrackingUnavailableException {
    String experimentId = state.get("experimentId");
    if (experimentId == null) {
      experimentId = experiment(e.experiment());
      state.put("experimentId", experimentId);
    }
    Found run = findOrCreate(experimentId, e.runUid(), e.runName(), e.startMillis(), e.tags());
    state.put("runId", run.info().getRunId());
    state.put("artifactUri", run.info().getArtifactUri());
    state.put("display.link", "MLflow run " + run.info().getRunId() + ": " + rest.base() + "/#/experiments/" + experimentId + "/runs/"
        + run.info().getRunId());
  }

  /** A run found by its {@code beamline.run_uid} tag, and whether it existed before (an earlier delivery made it). */
  private record Found(Service.RunInfo info, boolean existed) {}

  /** The run tagged with {@code runUid} in the experiment, created with {@code tags} if there is none yet. */
  private Found findOrCreate(String experimentId, String runUid, String runName, long startMillis, Map<String, String> tags)
      throws TrackingUnavailableException {
    String filter = "tags.`beamline.run_uid` = '" + runUid.replace("'", "") + "'";
    List<Service.Run> found = tracking.call("search runs",
        c -> c.searchRuns(List.of(experimentId), filter, Service.ViewType.ALL, 1).getItems());
    if (!found.isEmpty()) {
      LOG.info("MLflow run {} of Beamline run {} exists already; reusing it", found.get(0).getInfo().getRunId(), runUid);
      return new Found(found.get(0).getInfo(), true);
    }
    Service.CreateRun.Builder create = Service.CreateRun.newBuilder().setExperimentId(experimentId).setStartTime(startMillis)
        .setRunName(runName);
    String user = tags.get("mlflow.user");
    if (user != null) {
      create.setUserId(user);
    }
    tags.forEach((k, v) -> create.addTags(RunTag.newBuilder().setKey(k).setValue(clip(v, MAX_TAG_VALUE))));
    if (!tags.containsKey("beamline.run_uid")) {
      create.addTags(RunTag.newBuilder().setKey("beamline.run_uid").setValue(runUid));
    }
    Service.CreateRun request = create.build();
    return new Found(tracking.call("create run", c -> c.createRun(request)), false);
  }

  /**
   * A nested run (a trial of a search) under {@code parentRunId}: found or created, its params and metrics
   * logged (what an earlier delivery sent is not sent twice), then ended.
   */
  private void childRun(String parentRunId, Map<String, String> state, TrackingEvent.ChildRun e) throws TrackingUnavailableException {
    Map<String, String> tags = new java.util.LinkedHashMap<>(e.tags());
    tags.put("mlflow.parentRunId", parentRunId);
    Found run = findOrCreate(state.get("experimentId"), e.runUid(), e.runName(), e.startMillis(), tags);
    String runId = run.info().getRunId();
    params(runId, new TrackingEvent.ParamsLogged(e.params()), run.existed());
    for (int i = 0; i < e.metrics().size(); i += MAX_METRICS_PER_CALL) {
      metrics(runId, new TrackingEvent.MetricsLogged(e.metrics().subList(i, Math.min(e.metrics().size(), i + MAX_METRICS_PER_CALL))),
          run.existed());
    }
    ended(runId, new TrackingEvent.RunEnded(e.status(), e.endMillis(), null));
  }

  /** The most metric points MLflow takes in one log-batch call. */
  private static final int MAX_METRICS_PER_CALL = 1000;

  private String experiment(String name) throws TrackingUnavailableException {
    Optional<Experiment> existing = experimentByName(name);
    if (existing.isEmpty()) {
      try {
        return tracking.call("create experiment", c -> c.createExperiment(name));
      } catch (MlflowApiException ex) {
        if (!"RESOURCE_ALREADY_EXISTS".equals(ex.errorCode()) && ex.status() != 400) {
          throw ex;
        }
        existing = experimentByName(name); // created meanwhile by someone else
        if (existing.isEmpty()) {
          throw ex;
        }
      }
    }
    Experiment x = existing.get();
    if (!"active".equals(x.getLifecycleStage())) {
      throw new IllegalStateException("MLflow experiment '" + name + "' is deleted; restore it in MLflow or set tracking.experiment");
    }
    return x.getExperimentId();
  }

  private Optional<Experiment> experimentByName(String name) throws TrackingUnavailableException {
    // A search, not get-by-name: the Java client repeats every 4xx answer three times, and a new
    // experiment's get-by-name is a 404.
    String filter = "name = '" + name.replace("'", "\\'") + "'";
    List<Experiment> found = tracking.call("find experiment",
        c -> c.searchExperiments(filter, Service.ViewType.ALL, 10, List.of()).getItems());
    return found.stream().filter(x -> x.getName().equals(name)).findFirst();
  }

  private void params(String runId, TrackingEvent.ParamsLogged e, boolean maybe) throws TrackingUnavailableException {
    Map<String, String> todo = new HashMap<>(e.params());
    if (maybe) {
      for (Param p : tracking.call("get run", c -> c.getRun(runId)).getData().getParamsList()) {
        if (p.getValue().equals(todo.get(p.getKey()))) {
          todo.remove(p.getKey());
        }
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    List<Param> params = new ArrayList<>();
    todo.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(x -> params.add(Param.newBuilder().setKey(x.getKey()).setValue(x.getValue()).build()));
    tracking.call("log params", c -> {
      c.logBatch(runId, List.of(), params, List.of());
      return null;
    });
  }

  private void metrics(String runId, TrackingEvent.MetricsLogged e, boolean maybe) throws TrackingUnavailableException {
    List<TrackingEvent.MetricPoint> todo = new ArrayList<>(e.points());
    if (maybe) {
      // Only keys the run has at all can hold values of an earlier attempt: one run lookup, then their histories.
      Set<String> keys = new HashSet<>();
      for (Metric m : tracking.call("get run", c -> c.getRun(runId)).getData().getMetricsList()) {
        keys.add(m.getKey());
      }
      keys.retainAll(todo.stream().map(TrackingEvent.MetricPoint::key).collect(java.util.stream.Collectors.toSet()));
      Set<String> present = new HashSet<>();
      for (String key : keys) {
        for (Metric m : tracking.call("get metric history", c -> c.getMetricHistory(runId, key))) {
          present.add(pointId(m.getKey(), m.getValue(), m.getStep(), m.getTimestamp()));
        }
      }
      todo.removeIf(p -> present.contains(pointId(p.key(), p.value(), p.step(), p.timestampMillis())));
    }
    if (todo.isEmpty()) {
      return;
    }
    List<Metric> metrics = new ArrayList<>();
    for (TrackingEvent.MetricPoint p : todo) {
      metrics.add(Metric.newBuilder().setKey(p.key()).setValue(p.value()).setStep(p.step()).setTimestamp(p.timestampMillis()).build());
    }
    tracking.call("log metrics", c -> {
      c.logBatch(runId, metrics, List.of(), List.of());
      return null;
    });
  }

  private static String pointId(String key, double value, long step, long ts) {
    return key + "\u0000" + Double.doubleToLongBits(value) + "\u0000" + step + "\u0000" + ts;
  }

  private void inputs(String runId, TrackingEvent.InputsLogged e) throws TrackingUnavailableException {
    ObjectNode body = MlflowRest.JSON.createObjectNode();
    body.put("run_id", runId);
    ArrayNode datasets = body.putArray("datasets");
    for (TrackingEvent.DatasetInput d : e.datasets()) {
      ObjectNode input = datasets.addObject();
      ArrayNode tags = input.putArray("tags");
      if (d.context() != null) {
        tags.addObject().put("key", "mlflow.data.context").put("value", d.context());
      }
      ObjectNode ds = input.putObject("dataset");
      ds.put("name", d.name());
      ds.put("digest", d.digest());
      ds.put("source_type", d.source() != null && d.source().startsWith("http") ? "http" : "local");
      ds.put("source", MlflowRest.JSON.createObjectNode().put("uri", d.source()).toString());
      if (d.schemaJson() != null) {
        ds.put("schema", d.schemaJson());
      }
      if (d.profileJson() != null) {
        ds.put("profile", d.profileJson());
      }
    }
    rest.post("mlflow/runs/log-inputs", body);
  }

  private void artifacts(String runId, String artifactUri, TrackingEvent.ArtifactsLogged e, Path runDirectory)
      throws TrackingUnavailableException {
    String root = proxyPath(artifactUri);
    for (String rel : e.files()) {
      Path file = runDirectory.resolve(rel);
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException(file + ": the run's file is gone; it cannot be uploaded");
      }
      String target = root + "/" + rel;
      if (file.getFileName().toString().equals("MLmodel")) {
        rest.upload(target, withRunId(file, runId));
        continue;
      }
      long size;
      try {
        size = Files.size(file);
      } catch (java.io.IOException ex) {
        throw new java.io.UncheckedIOException(ex);
      }
      if (size >= multipartThreshold && new Multipart(rest, partSize).upload(target, rel, file, size)) {
        continue;
      }
      rest.upload(target, file);
    }
  }

  /**
   * A model's {@code MLmodel} as the server keeps it: with the {@code run_id} it was logged under, as
   * MLflow's own {@code log_model} writes it (the run directory's copy is written before the run has an id).
   */
  static byte[] withRunId(Path mlmodel, String runId) {
    try {
      String text = Files.readString(mlmodel);
      if (text.lines().anyMatch(l -> l.startsWith("run_id:"))) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
      return (text + (text.endsWith("\n") ? "" : "\n") + "run_id: " + runId + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
  }

  /** The proxy path of an {@code mlflow-artifacts:} URI (without scheme and authority). */
  static String proxyPath(String artifactUri) {
    if (artifactUri == null || !artifactUri.startsWith("mlflow-artifacts:")) {
      throw new IllegalStateException("the run's artifact location is " + artifactUri + ", not the server's artifact proxy "
          + "(mlflow-artifacts:); Beamline uploads without Python only through the proxy: start the server with "
          + "--artifacts-destination (and without --no-serve-artifacts), or use an experiment created under it");
    }
    String rest = artifactUri.substring("mlflow-artifacts:".length());
    if (rest.startsWith("//")) {
      int slash = rest.indexOf('/', 2);
      rest = slash < 0 ? "" : rest.substring(slash);
    }
    return rest.replaceAll("^/+", "").replaceAll("/+$", "");
  }

  private void register(String runId, Map<String, String> state, TrackingEvent.ModelRegistered e) throws TrackingUnavailableException {
    try {
      rest.post("mlflow/registered-models/create", Map.of("name", e.name()));
    } catch (MlflowApiException ex) {
      if (!"RESOURCE_ALREADY_EXISTS".equals(ex.errorCode())) {
        throw ex;
      }
    }
    String version = state.get("modelVersion");
    if (version == null) {
      JsonNode found = rest.get("mlflow/model-versions/search",
          Map.of("filter", "name='" + e.name().replace("'", "\\'") + "' and run_id='" + runId + "'", "max_results", "10"));
      if (found.path("model_versions").size() > 0) {
        version = found.path("model_versions").get(0).path("version").asText();
      } else {
        List<Map<String, String>> tags = new ArrayList<>();
        e.tags().forEach((k, v) -> tags.add(Map.of("key", k, "value", v)));
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", e.name());
        body.put("source", state.get("artifactUri").replaceAll("/+$", "") + "/" + e.modelPath());
        body.put("run_id", runId);
        body.put("tags", tags);
        version = rest.post("mlflow/model-versions/create", body).path("model_version").path("version").asText();
      }
      state.put("modelVersion", version);
    }
    waitReady(e.name(), version);
    for (String alias : e.aliases()) {
      rest.post("mlflow/registered-models/alias", Map.of("name", e.name(), "alias", alias, "version", version));
    }
    state.put("display.model", "registered model '" + e.name() + "' version " + version
        + (e.aliases().isEmpty() ? "" : " (" + String.join(", ", e.aliases().stream().map(a -> "@" + a).toList()) + ")"));
  }

  /** Sets the run's tags in one batch (setting a tag again overwrites it, so a repeated delivery is harmless). */
  private void tags(String runId, TrackingEvent.TagsSet e) throws TrackingUnavailableException {
    List<RunTag> tags = new ArrayList<>();
    e.tags().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(x -> tags.add(RunTag.newBuilder().setKey(x.getKey()).setValue(clip(x.getValue(), MAX_TAG_VALUE)).build()));
    tracking.call("set tags", c -> {
      c.logBatch(runId, List.of(), List.of(), tags);
      return null;
    });
  }

  private void waitReady(String name, String version) throws TrackingUnavailableException {
    long deadline = System.currentTimeMillis() + registrationWaitMillis;
    long wait = 100;
    while (true) {
      JsonNode v = rest.get("mlflow/model-versions/get", Map.of("name", name, "version", version)).path("model_version");
      String status = v.path("status").asText();
      if (status.equals("READY")) {
        return;
      }
      if (status.equals("FAILED_REGISTRATION")) {
        throw new IllegalStateException("model '" + name + "' version " + version + " failed to register: " + v.path("status_message").asText());
      }
      if (System.currentTimeMillis() > deadline) {
        throw new TrackingUnavailableException("model '" + name + "' version " + version + " was not READY within "
            + registrationWaitMillis / 1000 + " s (status " + status + ")", null);
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new TrackingUnavailableException("interrupted while waiting for the model version", ex);
      }
      wait = Math.min(2000, wait * 2);
    }
  }

  private void ended(String runId, TrackingEvent.RunEnded e) throws TrackingUnavailableException {
    if (e.error() != null) {
      tracking.call("set tag", c -> {
        c.setTag(runId, "beamline.error", clip(e.error(), MAX_TAG_VALUE));
        return null;
      });
    }
    Service.RunStatus status = Service.RunStatus.valueOf(e.status());
    tracking.call("end run", c -> {
      c.setTerminated(runId, status, e.endMillis());
      return null;
    });
  }

  static String clip(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  @Override
  public void close() {
    connection.close();
  }
}
