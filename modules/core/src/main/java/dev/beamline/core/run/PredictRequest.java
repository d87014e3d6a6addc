package dev.beamline.core.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A batch scoring run.
 *
 * @param model the model as the user named it (a directory, {@code runs:/...}, {@code models:/...})
 * @param modelDir the local model directory it resolved to
 * @param inputs the files to score (none when the source reads a database)
 * @param output the run directory, or {@code null} for {@code runs/predict-<name>/<time>-<id>}
 * @param sourceSettings {@code KEY=VALUE} overrides of the model's recorded source settings ({@code type} too)
 * @param keep input columns copied to the output
 * @param jsonLines JSON lines instead of CSV
 * @param policy {@code problem=score|reject} settings
 * @param maxRejectedFraction the error budget
 * @param beamArgs Beam pipeline options
 * @param outputTable a table of the input's database the predictions are also written into, or {@code null}
 */
public record PredictRequest(String model, Path modelDir, List<Path> inputs, Path output, List<String> sourceSettings, List<String> keep,
    boolean jsonLines, List<String> policy, double maxRejectedFraction, List<String> beamArgs, String outputTable) {
  public PredictRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(modelDir, "modelDir");
    inputs = List.copyOf(inputs);
    sourceSettings = List.copyOf(sourceSettings);
    keep = List.copyOf(keep);
    policy = List.copyOf(policy);
    beamArgs = List.copyOf(beamArgs);
  }
}
