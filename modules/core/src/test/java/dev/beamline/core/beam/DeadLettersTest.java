package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.data.Rejected;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dead letters land in one file, ordered by source, file and line whatever order they came in. */
class DeadLettersTest {
  @TempDir
  Path dir;

  private List<String> written(List<Rejected> first, List<Rejected> second) throws Exception {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--targetParallelism=2").create());
    PCollection<Rejected> a = p.apply("a", Create.of(first).withCoder(RejectedCoder.of()));
    PCollection<Rejected> b = p.apply("b", Create.of(second).withCoder(RejectedCoder.of()));
    PCollectionList.of(a).and(b).apply(new DeadLetters(dir.toString()));
    p.run().waitUntilFinish();
    return Files.readAllLines(dir.resolve(DeadLetters.FILE));
  }

  @Test
  void writesEveryRowOrderedBySourceFileAndLine() throws Exception {
    List<Rejected> rows = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      rows.add(new Rejected(i % 3 == 0 ? "test" : "train", i % 2 == 0 ? "b.csv" : "a.csv", i, "expected 3 fields, found 2", "x," + i));
    }
    List<Rejected> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new Random(4));
    List<String> lines = written(shuffled.subList(0, 120), shuffled.subList(120, 300));
    assertEquals(300, lines.size());
    rows.sort(java.util.Comparator.comparing(Rejected::source).thenComparing(Rejected::file).thenComparingLong(Rejected::line));
    assertEquals(DeadLetters.json(rows.get(0)), lines.get(0));
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(DeadLetters.json(rows.get(i)), lines.get(i));
    }
    assertEquals("{\"file\":\"a.csv\",\"line\":3,\"raw\":\"x,3\",\"reason\":\"expected 3 fields, found 2\",\"source\":\"test\"}", lines.get(0));
  }

  @Test
  void writesAnEmptyFileWhenNothingWasRejected() throws Exception {
    assertEquals(List.of(), written(List.of(), List.of()));
  }
}
