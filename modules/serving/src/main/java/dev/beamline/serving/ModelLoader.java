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
    scorer.warmUp(); // here, before the model answers (or is swapped in), not on the first request's thread
    String name = location.registeredName() != null ? location.registeredName()
        : location.runId() != null ? "runs:/" + location.runId() : bundle.name();
    String runId = location.runId() != null ? location.runId() : bundle.runId();
    return new ModelHolder.Loaded(scorer, name, location.version(dir), runId, dir);
  }
}
