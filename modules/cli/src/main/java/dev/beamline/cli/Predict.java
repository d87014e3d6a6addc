package dev.beamline.cli;

import dev.beamline.core.run.PredictRequest;
import dev.beamline.core.run.PredictService;
import dev.beamline.spi.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code beamline predict}: batch scoring as a Beam pipeline on any runner. */
@Command(name = "predict", description = "Score files (or a database table) with a model on any runner: read them as the model's "
    + "training source did, apply its fitted transform and predictor, write predictions with row ids (and into a table beside the "
    + "rows with --output-table). Beam options may follow on the same line.")
final class Predict implements Callable<Integer> {
  @CommandLine.ParentCommand
  Beamline parent;

  @CommandLine.Mixin
  ModelOptions model = new ModelOptions();

  @Option(names = "--input", arity = "1..*", paramLabel = "PATH", description = "the file(s) to score; none when the model's source "
      + "is a database (type jdbc: --set source.table=... names what to score)")
  List<Path> inputs = new ArrayList<>();

  @Option(names = "--output-table", paramLabel = "TABLE", description = "also write the predictions into this table of the input's "
      + "database (created if missing; a rerun with the same model replaces its rows)")
  String outputTable;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "the run directory (default runs/predict-<model>/<time>-<id>)")
  Path output;

  @Option(names = "--set", paramLabel = "source.KEY=VALUE", description = "change a setting of the model's source, e.g. --set source.delimiter=';' "
      + "--set source.skipLines=0 (source.type picks another source plugin)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--keep", split = ",", paramLabel = "COL", description = "input columns copied to the output")
  List<String> keep = new ArrayList<>();

  @Option(names = "--format", paramLabel = "csv|jsonl", description = "the output format (default csv)")
  String format = "csv";

  @Option(names = "--max-rejected-fraction", paramLabel = "F", description = "fail (exit 2) when more rows than this share are rejected (default 0.01)")
  double maxRejectedFraction = 0.01;

  @CommandLine.Unmatched
  List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Beamline.checkBeamArgs(beamArgs);
    if (!format.equals("csv") && !format.equals("jsonl")) {
      throw new ConfigException("--format " + format + ": give csv or jsonl");
    }
    List<String> settings = Beamline.sourceSettings(sets, "predict");
    Path dir = model.loader(parent).resolve();
    parent.injector().getInstance(PredictService.class).predict(new PredictRequest(model.model, dir, inputs, output, settings, keep,
        format.equals("jsonl"), model.policy, maxRejectedFraction, beamArgs, outputTable), parent.out);
    return Beamline.OK;
  }
}
