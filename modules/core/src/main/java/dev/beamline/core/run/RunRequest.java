package dev.beamline.core.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code beamline run} was asked to do.
 *
 * @param spec the pipeline file
 * @param overrides {@code key=value} overrides of the spec
 * @param output the run directory, or {@code null} for the default under {@code runs/}
 * @param beamArgs Beam pipeline options ({@code --runner=...} and the like)
 * @param trackingUri where to track the run now, or {@code null} to journal it only (a later
 *     {@code beamline tracking sync} can deliver it)
 * @param modelCache where models fetched from the tracking server are kept (the champion the blessing compares with)
 * @param requireBlessing whether the pipeline must have a {@code blessing} section (an unblessed run then fails: exit 4)
 */
public record RunRequest(Path spec, List<String> overrides, Path output, List<String> beamArgs, java.net.URI trackingUri, Path modelCache,
    boolean requireBlessing) {
  public RunRequest {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(modelCache, "modelCache");
    overrides = List.copyOf(overrides);
    beamArgs = List.copyOf(beamArgs);
  }
}
