package dev.beamline.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which Flink options submit to a cluster, and the job jar that such a submission stages. */
class ClusterSubmissionTest {
  @AfterEach
  void clear() {
    System.clearProperty("beamline.jobJar");
  }

  @Test
  void anOptionIsGivenByItsWholeNameWithOrWithoutAValue() {
    List<String> args = List.of("--runner=FlinkRunner", "--fasterCopy", "--targetParallelism=3", "--filesToStageX=a");
    assertTrue(PipelineExecution.given(args, "fasterCopy"));
    assertTrue(PipelineExecution.given(args, "targetParallelism"));
    assertFalse(PipelineExecution.given(args, "filesToStage"));
    assertFalse(PipelineExecution.given(args, "target"));
    assertEquals("3", PipelineExecution.option(args, "targetParallelism"));
  }

  @Test
  void onlyAHostAndPortIsACluster() {
    assertTrue(PipelineExecution.submitsToCluster(List.of("--runner=FlinkRunner", "--flinkMaster=localhost:8081")));
    assertFalse(PipelineExecution.submitsToCluster(List.of("--runner=FlinkRunner", "--flinkMaster=[local]")));
    assertFalse(PipelineExecution.submitsToCluster(List.of("--runner=FlinkRunner", "--flinkMaster=[auto]")));
    assertFalse(PipelineExecution.submitsToCluster(List.of("--runner=FlinkRunner")));
  }

  @Test
  void theJobJarMustExistAndTheErrorSaysHowToBuildIt(@TempDir Path dir) throws Exception {
    System.setProperty("beamline.jobJar", dir.resolve("missing.jar").toString());
    ConfigException e = assertThrows(ConfigException.class, PipelineExecution::jobJar);
    assertTrue(e.getMessage().contains("mvn package -pl modules/cli"), e.getMessage());
    Path jar = Files.writeString(dir.resolve("beamline-job.jar"), "x");
    System.setProperty("beamline.jobJar", jar.toString());
    assertEquals(jar.toAbsolutePath().toString(), PipelineExecution.jobJar());
  }
}
