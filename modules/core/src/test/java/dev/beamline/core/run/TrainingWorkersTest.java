package dev.beamline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.core.spec.PipelineSpec.WorkersSpec;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.jupiter.api.Test;

/** Whether the runner can run every worker at once is known before the run starts, with the numbers when it cannot. */
class TrainingWorkersTest {
  private static WorkersSpec workers(int n) {
    return new WorkersSpec(n, false, null, 0, 300);
  }

  @Test
  void theDirectRunnerGetsAThreadPerWorkerBesidesItsScheduler() throws Exception {
    PipelineOptions options = PipelineExecution.options(List.of());
    TrainingWorkers.Placement placement = TrainingWorkers.place(workers(3), options, List.of());
    assertEquals(3, placement.workers());
    assertEquals(0, placement.parallelism(), "the DirectRunner: one group per key");
    assertEquals("127.0.0.1", placement.trackerHost());
    assertEquals(4, options.as(DirectOptions.class).getTargetParallelism());

    List<String> given = List.of("--targetParallelism=3");
    TrainingWorkers.Unavailable e = assertThrows(TrainingWorkers.Unavailable.class,
        () -> TrainingWorkers.place(workers(3), PipelineExecution.options(given), given));
    assertTrue(e.getMessage().contains("3 workers need the DirectRunner to run 4 tasks at once") && e.getMessage().contains("--targetParallelism=4"),
        e.getMessage());
    assertEquals(Runtime.getRuntime().availableProcessors(),
        TrainingWorkers.place(workers(0), PipelineExecution.options(List.of()), List.of()).workers(), "auto: the cores");
  }

  @Test
  void aFlinkJobNeedsATaskPerWorker() throws Exception {
    // Only the runner's name is read: the options of a run on embedded Flink, named without the Flink runner on the class path.
    List<String> four = List.of("--parallelism=4");
    TrainingWorkers.Placement placement = TrainingWorkers.place(workers(3), flinkOptions(), four);
    assertEquals(3, placement.workers());
    assertEquals(4, placement.parallelism());
    assertEquals(4, TrainingWorkers.place(workers(0), flinkOptions(), four).workers(), "auto: the job's parallelism");
    List<String> two = List.of("--parallelism=2");
    TrainingWorkers.Unavailable e = assertThrows(TrainingWorkers.Unavailable.class, () -> TrainingWorkers.place(workers(3), flinkOptions(), two));
    assertTrue(e.getMessage().contains("3 workers need a task each at once, and the Flink job's parallelism is 2; give --parallelism=3"),
        e.getMessage());
  }

  @Test
  void anUnreachableClusterIsSaidPlainly() {
    List<String> args = List.of("--flinkMaster=127.0.0.1:1", "--parallelism=2");
    TrainingWorkers.Unavailable e = assertThrows(TrainingWorkers.Unavailable.class, () -> TrainingWorkers.place(workers(2), flinkOptions(), args));
    assertTrue(e.getMessage().startsWith("cannot ask the Flink cluster at 127.0.0.1:1 for its free task slots"), e.getMessage());
  }

  /** Options whose runner is called FlinkRunner. */
  private static PipelineOptions flinkOptions() {
    PipelineOptions options = PipelineExecution.options(List.of());
    options.setRunner(FlinkRunner.class);
    return options;
  }

  /** A runner named like Beam's Flink runner (placement reads the name only). */
  abstract static class FlinkRunner extends org.apache.beam.sdk.PipelineRunner<org.apache.beam.sdk.PipelineResult> {}
}
