package dev.beamline.core.run;

import dev.beamline.core.beam.ComputeStatistics;
import dev.beamline.core.json.Json;
import dev.beamline.core.spec.DataSchemaFile;
import dev.beamline.statistics.Anomaly;
import dev.beamline.statistics.DataSchema;
import dev.beamline.statistics.Drift;
import dev.beamline.statistics.Validation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run does with its data statistics once the pipeline is done: proposes a data schema from the
 * training split ({@code schema.yaml}) and, when the pipeline names one ({@code validation.schema}), checks
 * every split against it and writes the anomalies ({@code anomalies.json}). An error-level anomaly keeps the
 * model from being registered and the run ends with exit code 3.
 */
final class DataChecks {
  /** The file of the schema a run proposes. */
  static final String SCHEMA = "schema.yaml";
  /** The file of the anomalies a run found. */
  static final String ANOMALIES = "anomalies.json";

  /**
   * The outcome of the checks.
   *
   * @param schema the schema checked against, or null when none was named
   * @param anomalies what was found (empty when nothing was checked)
   */
  record Result(Path schema, List<Anomaly> anomalies) {
    boolean failed() {
      return Validation.hasErrors(anomalies);
    }

    /** As run.json records it. */
    Map<String, Object> toJson() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("schema", schema == null ? null : schema.toString());
      out.put("passed", !failed());
      out.put("errors", anomalies.stream().filter(a -> a.severity() == Anomaly.Severity.ERROR).count());
      out.put("warnings", anomalies.stream().filter(a -> a.severity() == Anomaly.Severity.WARNING).count());
      out.put("file", schema == null ? null : ANOMALIES);
      return out;
    }
  }

  private DataChecks() {}

  /**
   * Reads the run's {@code statistics.json}, writes {@code schema.yaml}, and checks every split against
   * {@code schema} (read from {@code schemaFile} when the run started) if given.
   */
  static Result run(String pipeline, Path staging, Path schemaFile, DataSchema schema) throws IOException {
    Map<String, Map<String, Object>> splits = ComputeStatistics.read(staging.resolve(ComputeStatistics.FILE));
    Map<String, Object> train = splits.get("train");
    DataSchemaFile.write(DataSchema.infer(train), staging.resolve(SCHEMA), "The data schema the training split of pipeline " + pipeline
        + " suggests (beamline run).\nReview it, keep it beside the pipeline and name it there (validation: {schema: schema.yaml})\n"
        + "to check every later run's data against it.");
    if (schema == null) {
      return new Result(null, List.of());
    }
    List<Anomaly> anomalies = new ArrayList<>();
    splits.forEach((split, summary) -> {
      if (((Number) summary.get("rows")).longValue() > 0) {
        anomalies.addAll(Validation.check(schema, split, summary));
      }
    });
    writeReport(anomalies, Map.of(), schemaFile, staging.resolve(ANOMALIES));
    return new Result(schemaFile, anomalies);
  }

  /**
   * {@code anomalies.json}: the schema, every anomaly with its dataset, column, kind, severity and message, and
   * (from a data check) every column's drift from the reference.
   */
  static void writeReport(List<Anomaly> anomalies, Map<String, Drift.Measure> drift, Path schemaFile, Path file) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("schema", schemaFile.toString());
    out.put("passed", !Validation.hasErrors(anomalies));
    List<Map<String, Object>> list = new ArrayList<>();
    for (Anomaly a : anomalies) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("dataset", a.dataset());
      m.put("column", a.column());
      m.put("kind", a.kind());
      m.put("severity", a.severity().label());
      m.put("message", a.message());
      list.add(m);
    }
    out.put("anomalies", list);
    if (!drift.isEmpty()) {
      Map<String, Object> byColumn = new LinkedHashMap<>();
      drift.forEach((column, m) -> {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("jensenShannon", m.jensenShannon());
        d.put("lInfinity", m.lInfinity());
        if (m.note() != null) {
          d.put("note", m.note());
        }
        byColumn.put(column, d);
      });
      out.put("drift", byColumn);
    }
    Files.writeString(file, Json.pretty(out));
  }

  /** One line per anomaly, errors first. */
  static void print(List<Anomaly> anomalies, PrintStream console) {
    anomalies.stream().filter(a -> a.severity() == Anomaly.Severity.ERROR).forEach(a -> console.println("  " + a.describe()));
    anomalies.stream().filter(a -> a.severity() == Anomaly.Severity.WARNING).forEach(a -> console.println("  " + a.describe()));
  }
}
