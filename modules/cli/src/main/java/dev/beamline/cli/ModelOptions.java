package dev.beamline.cli;

import dev.beamline.core.plugin.WorkerPlugins;
import dev.beamline.scoring.ModelLocation;
import dev.beamline.scoring.ScoringPolicy;
import dev.beamline.serving.ModelLoader;
import dev.beamline.spi.config.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every command that loads a model shares ({@code serve}, {@code predict}): where the model is,
 * the tracking server and cache that resolve {@code runs:/} and {@code models:/} URIs (the code behind
 * {@code models pull}), and what to do with rows that have a problem.
 */
final class ModelOptions {
  @Option(names = "--model", paramLabel = "MODEL",
      description = "a run directory, its model/ directory, runs:/<run_id>/model, models:/<name>/<version> or models:/<name>@<alias>")
  String model;

  @Option(names = "--tracking-uri", paramLabel = "URI", description = "the tracking server of runs:/ and models:/ URIs (default $MLFLOW_TRACKING_URI)")
  URI trackingUri;

  @Option(names = "--cache", paramLabel = "DIR", description = "where downloaded models are kept (default $BEAMLINE_CACHE/models, ~/.cache/beamline/models)")
  Path cache;

  @Option(names = "--on", paramLabel = "PROBLEM=ACTION",
      description = "score or reject rows with a problem: missing_column, wrong_type (default reject), unseen_category, out_of_range "
          + "(default score), e.g. --on unseen_category=reject")
  List<String> policy = new ArrayList<>();

  /** The loader of the model: URIs go through the tracker plugin, trainers and steps come from the plugins. */
  ModelLoader loader(Beamline parent) {
    if (model == null || model.isBlank()) {
      throw new ConfigException("--model: give a run directory, runs:/<run_id>/model, models:/<name>/<version> or models:/<name>@<alias>");
    }
    ModelLocation location = new ModelLocation(model);
    ScoringPolicy scoring;
    try {
      scoring = ScoringPolicy.parse(policy);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--on " + e.getMessage());
    }
    ModelLocation.Fetcher fetcher = uri -> parent.fetch("mlflow", uri, trackingUri, cache);
    return new ModelLoader(location, fetcher, WorkerPlugins.steps(), id -> WorkerPlugins.registry().trainer(id, "the model's trainer"), scoring);
  }
}
