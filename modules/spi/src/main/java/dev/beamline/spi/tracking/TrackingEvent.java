package dev.beamline.spi.tracking;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the host tells a tracker about a run, in order. The host writes every event to the run's journal
 * ({@code tracking/journal.jsonl}) before any tracker sees it, so events are plain data: strings, numbers,
 * lists and maps, never handles to live objects. A tracker delivers them to its backend one by one, in
 * journal order; see {@link TrackingSink} for the delivery contract.
 */
public sealed interface TrackingEvent {
  /** The event's name in the journal. */
  String type();

  /**
   * A run began.
   *
   * @param runUid Beamline's own id of the run, unique; trackers use it to find a run they created before
   * @param experiment the experiment (or project) to file the run under
   * @param runName a human-readable name
   * @param tags tags of the run (pipeline, versions, runner, user, git commit ...)
   * @param startMillis start time, epoch milliseconds
   */
  record RunStarted(String runUid, String experiment, String runName, Map<String, String> tags, long startMillis)
      implements TrackingEvent {
    public RunStarted {
      Objects.requireNonNull(runUid, "runUid");
      Objects.requireNonNull(experiment, "experiment");
      tags = Map.copyOf(tags);
    }

    @Override
    public String type() {
      return "run_started";
    }
  }

  /** Parameters of the run (at most 100 per event); never secrets. */
  record ParamsLogged(Map<String, String> params) implements TrackingEvent {
    public ParamsLogged {
      params = Map.copyOf(params);
    }

    @Override
    public String type() {
      return "params";
    }
  }

  /** Metric points (at most 1000 per event). */
  record MetricsLogged(List<MetricPoint> points) implements TrackingEvent {
    public MetricsLogged {
      points = List.copyOf(points);
    }

    @Override
    public String type() {
      return "metrics";
    }
  }

  /** The run's input datasets. */
  record InputsLogged(List<DatasetInput> datasets) implements TrackingEvent {
    public InputsLogged {
      datasets = List.copyOf(datasets);
    }

    @Override
    public String type() {
      return "inputs";
    }
  }

  /**
   * Files of the run directory to store with the run.
   *
   * @param files paths relative to the run directory, with {@code /} as separator
   */
  record ArtifactsLogged(List<String> files) implements TrackingEvent {
    public ArtifactsLogged {
      files = List.copyOf(files);
    }

    @Override
    public String type() {
      return "artifacts";
    }
  }

  /**
   * Register the model stored with the run (the artifact directory {@code modelPath}) under {@code name},
   * point each of {@code aliases} at the new version (e.g. {@code challenger}, and {@code champion} when the
   * model was blessed), and tag the version.
   */
  record ModelRegistered(String name, String modelPath, List<String> aliases, Map<String, String> tags) implements TrackingEvent {
    public ModelRegistered {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(modelPath, "modelPath");
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
      tags = Map.copyOf(tags);
    }

    @Override
    public String type() {
      return "model_registered";
    }
  }

  /** Tags set on the run after it started (e.g. whether its model was blessed, and why). */
  record TagsSet(Map<String, String> tags) implements TrackingEvent {
    public TagsSet {
      tags = Map.copyOf(tags);
    }

    @Override
    public String type() {
      return "tags";
    }
  }

  /**
   * The run ended.
   *
   * @param status {@code FINISHED}, {@code FAILED} or {@code KILLED}
   * @param error why it failed, or {@code null}
   */
  record RunEnded(String status, long endMillis, String error) implements TrackingEvent {
    public RunEnded {
      Objects.requireNonNull(status, "status");
    }

    @Override
    public String type() {
      return "run_ended";
    }
  }

  /**
   * A run nested under this one, such as one trial of a search, delivered whole: a tracker creates it under
   * the run (MLflow: the {@code mlflow.parentRunId} tag) the first time, finds it again by {@code runUid}
   * after that, and logs its params and metrics and ends it with {@code status}.
   *
   * @param runUid Beamline's id of the nested run, unique
   * @param runName a human-readable name
   * @param tags its tags
   * @param params its parameters (at most 100)
   * @param metrics its metric points, any number (a tracker sends them in batches)
   * @param startMillis when it started, epoch milliseconds
   * @param endMillis when it ended, epoch milliseconds
   * @param status {@code FINISHED}, {@code FAILED} or {@code KILLED}
   */
  record ChildRun(String runUid, String runName, Map<String, String> tags, Map<String, String> params, List<MetricPoint> metrics,
      long startMillis, long endMillis, String status) implements TrackingEvent {
    public ChildRun {
      Objects.requireNonNull(runUid, "runUid");
      Objects.requireNonNull(status, "status");
      tags = Map.copyOf(tags);
      params = Map.copyOf(params);
      metrics = List.copyOf(metrics);
    }

    @Override
    public String type() {
      return "child_run";
    }
  }

  /** One value of a metric: {@code step} orders a series (e.g. boosting rounds); 0 for final values. */
  record MetricPoint(String key, double value, long step, long timestampMillis) {
    public MetricPoint {
      Objects.requireNonNull(key, "key");
    }
  }

  /**
   * An input dataset.
   *
   * @param name its name (the pipeline's source name and file name)
   * @param digest a short content digest (at most 36 characters)
   * @param source where it was read from (a path or URI)
   * @param context its role: {@code train}, {@code test} ...
   * @param schemaJson its columns as a JSON document, or {@code null}
   * @param profileJson facts about it (full sha256, bytes, rows) as a JSON document, or {@code null}
   */
  record DatasetInput(String name, String digest, String source, String context, String schemaJson, String profileJson) {
    public DatasetInput {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(digest, "digest");
    }
  }
}
