package dev.beamline.cli;

import dev.beamline.core.run.DataCheckService;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code beamline validate-data}. */
@Command(name = "validate-data", description = "Check new files against a training run: read them with its source and settings, compute "
    + "their statistics, check them against a data schema (--schema, else the run's schema.yaml) and for drift from its training "
    + "split. Exit 0 clean, 3 on an error-level anomaly, 2 on bad usage. Beam pipeline options may follow.")
final class ValidateData implements Callable<Integer> {
  @CommandLine.ParentCommand
  Beamline parent;

  @Option(names = "--reference", required = true, paramLabel = "RUN_DIR|STATISTICS|runs:/ID",
      description = "the training run to compare with: its directory, its statistics.json, or runs:/<run_id> on the tracking server")
  String reference;

  @Option(names = "--input", arity = "1..*", paramLabel = "PATH", description = "the file(s) to check; none when the source is a database")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--schema", paramLabel = "schema.yaml", description = "the data schema (default: the one the reference run proposed)")
  Path schema;

  @Option(names = "--set", paramLabel = "source.KEY=VALUE", description = "change a setting of the reference's source, e.g. "
      + "--set source.header=use for a file with a header line (source.type picks another source plugin)")
  List<String> sets = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "the run directory (default runs/validate-data/<time>-<id>)")
  Path output;

  @Option(names = "--tracking-uri", paramLabel = "URI", description = "the tracking server of a runs:/ reference (default $MLFLOW_TRACKING_URI)")
  URI trackingUri;

  @Option(names = "--cache", paramLabel = "DIR", description = "where a runs:/ reference is downloaded (default $BEAMLINE_CACHE/models)")
  Path cache;

  @CommandLine.Unmatched
  List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Beamline.checkBeamArgs(beamArgs);
    List<String> settings = Beamline.sourceSettings(sets, "validate-data");
    Path referenceDir = reference.startsWith("runs:/") ? parent.fetch("mlflow", reference, trackingUri, cache) : Path.of(reference);
    DataCheckService.Outcome outcome = parent.injector().getInstance(DataCheckService.class)
        .check(new DataCheckService.Request(reference, referenceDir, inputs, schema, settings, output, beamArgs), parent.out);
    if (outcome.failed()) {
      parent.err.println("error: the data failed its checks (listed above and in " + outcome.directory().resolve("anomalies.json") + ")");
      return Beamline.DATA_ANOMALIES;
    }
    return Beamline.OK;
  }
}
