package dev.beamline.core.run;

import dev.beamline.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code run.json}, the same frame for every kind of run (training, scoring, later tuning): its id
 * and kind, status, start, end and duration, runner and Beam arguments, the inputs' fingerprints, the
 * rejected rows, the stages and the versions; each kind adds its own facts in between ({@link #put}).
 * Written last into the staging directory, so that a run directory with a {@code run.json} is complete.
 */
final class RunRecord {
  private final Map<String, Object> head = new LinkedHashMap<>();
  private final Map<String, Object> own = new LinkedHashMap<>();
  private final Map<String, Object> tail = new LinkedHashMap<>();

  /**
   * @param kind {@code train} or {@code predict}
   * @param runner the runner's name
   * @param beamArgs the Beam arguments as given
   */
  RunRecord(RunDirectory dir, String kind, Instant started, Instant ended, String runner, List<String> beamArgs) {
    head.put("runId", dir.runId());
    head.put("kind", kind);
    head.put("status", "FINISHED");
    head.put("startTime", started.toString());
    head.put("endTime", ended.toString());
    head.put("durationSeconds", Duration.between(started, ended).toMillis() / 1000.0);
    tail.put("runner", runner);
    tail.put("beamArgs", beamArgs);
  }

  /** A fact of this kind of run, in the order put. */
  RunRecord put(String key, Object value) {
    own.put(key, value);
    return this;
  }

  /**
   * The facts every run has after the pipeline ran.
   *
   * @param inputs the inputs' fingerprints and row counts
   * @param rejected the rejected rows' counts
   * @param stages the stages' spans and counts
   * @param versions the versions of Beamline, Beam, Java (and the trainer's library)
   */
  RunRecord ran(List<Map<String, Object>> inputs, ErrorBudget.Rejected rejected, List<StageReport.Stage> stages, Map<String, Object> versions) {
    tail.put("inputs", inputs);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("total", rejected.total());
    r.put("bySource", rejected.bySource());
    r.put("directory", "rejected");
    tail.put("rejected", r);
    tail.put("stages", StageReport.toJson(stages));
    tail.put("versions", versions);
    return this;
  }

  /** Writes {@code run.json} into the staging directory. */
  void write(Path staging) throws IOException {
    Map<String, Object> run = new LinkedHashMap<>(head);
    run.putAll(own);
    run.putAll(tail);
    Files.writeString(staging.resolve("run.json"), Json.pretty(run));
  }
}
