package dev.beamline.serving;

import dev.beamline.features.StepResolver;
import dev.beamline.scoring.Bundle;
import dev.beamline.scoring.ModelLocation;
import dev.beamline.scoring.Scorer;
import dev.beamline.scoring.ScoringPolicy;
import dev.beamline.spi.TrainerFactory;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * Loads the model a location names, now and again later: for {@code models:/NAME@ALIAS} each
 * {@link #resolve()} asks the registry where the alias points.
 */
public final class ModelLoader {
  private final ModelLocation location;
  private final ModelLocation.Fetcher fetcher;
  private final StepResolver steps;
  private final Function<String, TrainerFactory> trainers;
  private final ScoringPolicy policy;

  public ModelLoader(ModelLocation location, ModelLocation.Fetcher fetcher, StepResolver steps,
      Function<String, TrainerFactory> trainers, ScoringPolicy policy) {
    this.location = Objects.requireNonNull(location, "location");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.steps = Objects.requireNonNull(steps, "steps");
    this.trainers = Objects.requireNonNull(trainers, "trainers");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** The location. */
  public ModelLocation location() {
    return location;
  }

  /** The local directory the location names now (an alias may name another version later). */
  public Path resolve() throws Exception {
    return location.resolve(fetcher).toAbsolutePath().normalize();
  }

  /** Loads the model in {@code dir} (what {@link #resolve()} gave). */
  public ModelHolder.Loaded load(Path dir) throws Exception {
    Bundle bundle = Bundle.read(dir, steps);
    Scorer scorer = Scorer.open(bundle, policy, trainers);
    String name;
    String version;
    String runId = bundle.runId();
    String text = location.text();
    if (location.registeredName() != null) {
      name = location.registeredName();
      version = dir.getFileName().toString(); // the cache keeps versions as models/<name>/<version>
    } else if (text.startsWith("runs:/")) {
      runId = text.substring("runs:/".length()).split("/")[0];
      name = "runs:/" + runId;
      version = "run";
    } else {
      Path d = bundle.directory().getFileName().toString().equals("model") && bundle.directory().getParent() != null
          ? bundle.directory().getParent() : bundle.directory();
      name = d.getFileName() == null ? d.toString() : d.getFileName().toString();
      version = "local";
    }
    return new ModelHolder.Loaded(scorer, name, version, runId, dir);
  }
}
