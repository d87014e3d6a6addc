package dev.beamline.core.run;

import dev.beamline.core.beam.Split;
import dev.beamline.core.beam.StageClock;
import dev.beamline.core.beam.TrainingPipeline;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line per stage: when it started (seconds after the pipeline started), how long it ran, rows in, out
 * and rejected. Beam fuses and overlaps stages, so the spans come from each stage's first and last bundle.
 */
public final class StageReport {
  /** A stage's figures. */
  public record Stage(String name, Double startSeconds, Double elapsedSeconds, long in, long out, long rejected) {}

  private StageReport() {}

  /** The stages of a training run. */
  public static List<Stage> of(RunMetrics m, long pipelineStart) {
    return of(m, pipelineStart, TrainingPipeline.STAGES);
  }

  /** The named stages of a run. */
  public static List<Stage> of(RunMetrics m, long pipelineStart, List<String> stages) {
    List<Stage> out = new ArrayList<>();
    for (String stage : stages) {
      long[] span = m.clock(stage);
      long in = m.counter(StageClock.inName(stage));
      long rows = m.counter(StageClock.outName(stage));
      long rejected = m.counter(StageClock.rejectedName(stage));
      if (stage.equals("fit") || stage.equals("statistics")) {
        // A one-pass combine over the split rows (the training split's, or every split's): from the split's
        // first rows to the written result.
        long[] trainSpan = m.clock("split") != null ? m.clock("split") : m.clock("ingest"); // a data check has no split
        in = 0;
        for (Split s : stage.equals("fit") ? List.of(Split.TRAIN) : List.of(Split.values())) {
          in += m.counter(TrainingPipeline.splitCounter(s));
        }
        if (m.clock("split") == null) {
          in = m.counter(StageClock.outName("ingest"));
        }
        rows = span == null ? 0 : 1;
        if (trainSpan != null && span != null) {
          span = new long[] {trainSpan[0], span[1]};
        }
      } else if (stage.equals("evaluate")) {
        long[] predictSpan = m.clock("predict");
        in = m.counter(StageClock.outName("predict"));
        rows = span == null ? 0 : 1;
        if (predictSpan != null && span != null) {
          span = new long[] {predictSpan[0], span[1]};
        }
      }
      out.add(new Stage(stage, span == null ? null : (span[0] - pipelineStart) / 1000.0,
          span == null ? null : (span[1] - span[0]) / 1000.0, in, rows, rejected));
    }
    return out;
  }

  /** The stages as run.json records them. */
  public static List<Map<String, Object>> toJson(List<Stage> stages) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Stage s : stages) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("stage", s.name());
      m.put("startSeconds", s.startSeconds());
      m.put("elapsedSeconds", s.elapsedSeconds());
      m.put("rowsIn", s.in());
      m.put("rowsOut", s.out());
      m.put("rowsRejected", s.rejected());
      out.add(m);
    }
    return out;
  }
}
