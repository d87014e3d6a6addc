package dev.beamline.core.beam;

import java.io.IOException;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** The DoFns that write the run's outputs into its staging directory. */
final class WriteFns {
  private WriteFns() {}

  /** Writes each text element to one file. */
  static final class WriteText extends DoFn<String, Void> {
    private static final long serialVersionUID = 1L;
    private final String stagingDir;
    private final String relative;
    private final StageClock clock;

    /** @param stage the stage whose end this write marks */
    WriteText(String stagingDir, String relative, String stage) {
      this.stagingDir = stagingDir;
      this.relative = relative;
      this.clock = new StageClock(stage);
    }

    @ProcessElement
    public void process(@Element String text) throws IOException {
      clock.count(1, 1, 0);
      RunFiles.write(stagingDir, relative, text);
      clock.finish();
    }
  }

  /** Writes the merged metrics of every evaluation key into {@code metrics.json} ({@link MetricsFile}). */
  static final class WriteMetrics extends DoFn<KV<Integer, Iterable<KV<String, Map<String, Double>>>>, Void> {
    private static final long serialVersionUID = 1L;
    private final String stagingDir;
    private final Evaluation evaluation;
    private final StageClock clock = new StageClock("evaluate");

    WriteMetrics(String stagingDir, Evaluation evaluation) {
      this.stagingDir = stagingDir;
      this.evaluation = evaluation;
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      clock.count(1, 1, 0);
      Slicer slicer = evaluation.slicer() == null ? null : c.sideInput(evaluation.slicer());
      RunFiles.write(stagingDir, MetricsFile.FILE, MetricsFile.assemble(c.element().getValue(), slicer, evaluation.bootstrap()));
      clock.finish();
    }
  }

  /**
   * Writes the predictions ({@code predictions/test.csv} of a training run, {@code predictions.csv} or
   * {@code .jsonl} of a scoring run): every row, ordered by row id (so by source, file and line), the same
   * bytes on every runner. The header names the prediction's columns (the classes come from the fitted
   * transform). Gathered on one worker, like the training rows.
   */
  static final class WritePredictions extends DoFn<KV<Integer, Iterable<LineBlock>>, Void> {
    private static final long serialVersionUID = 1L;
    private final Predict.Output output;
    private final org.apache.beam.sdk.values.PCollectionView<String> transformView;
    private final StageClock clock;

    WritePredictions(Predict.Output output, org.apache.beam.sdk.values.PCollectionView<String> transformView) {
      this.output = output;
      this.transformView = transformView;
      this.clock = output.stage() == null ? null : new StageClock(output.stage());
    }

    @ProcessElement
    public void process(ProcessContext c) throws IOException {
      if (clock != null) {
        clock.start();
      }
      dev.beamline.spi.model.Task task = dev.beamline.features.TransformJson.read(c.sideInput(transformView),
          dev.beamline.core.plugin.WorkerPlugins.steps()).label().task();
      long lines = writeLines(output.staging(), output.file(), output.lines().header(task), c.element().getValue());
      if (clock != null) {
        clock.count(lines, lines, 0);
        clock.finish();
      }
    }
  }

  /** Streams blocks of lines to one file in row id order, under a header ({@code null}: none); returns the lines written. */
  static long writeLines(String stagingDir, String relative, String header, Iterable<LineBlock> blocks) throws IOException {
    long lines = 0;
    try (java.io.Writer out = RunFiles.open(stagingDir, relative)) {
      if (header != null) {
        out.write(header);
        out.write('\n');
      }
      for (java.util.Iterator<String> it = LineBlock.merged(blocks); it.hasNext(); lines++) {
        out.write(it.next());
        out.write('\n');
      }
    }
    return lines;
  }
}
