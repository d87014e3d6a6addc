package dev.beamline.core.run;

import dev.beamline.core.beam.TrainingPipeline;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.core.beam.RowsDigest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of each source: how many each input gave and its reader rejected, and the digest of the rows of an input
 * that is not a file (recorded in the run's inputs),
 * how many any stage rejected, and the error budget: a source whose rejected share is over its limit fails
 * the run (exit 2) with a message naming the source, the figures, the dead-letter directory and the fix.
 */
final class ErrorBudget {
  private ErrorBudget() {}

  /** A source, its inputs ({@link dev.beamline.spi.SourceStage#locations()}), its limit and what the user can do to accept more rejected rows. */
  record Source(String name, List<String> files, double maxRejectedFraction, String howToAccept) {}

  /** Rows rejected per source, and in all. */
  record Rejected(Map<String, Object> bySource, long total) {}

  /**
   * Counts, records {@code rowsRead} and {@code rowsRejectedByReader} in each input's map, and checks each
   * source's budget.
   */
  static Rejected check(List<Source> sources, RunMetrics metrics, List<Map<String, Object>> inputs, Path staging) {
    Map<String, Object> bySource = new LinkedHashMap<>();
    long total = 0;
    for (Source s : sources) {
      long seen = 0;
      for (int f = 0; f < s.files().size(); f++) {
        long rows = metrics.counter(TrainingPipeline.fileRowsCounter(s.name(), f));
        long readRejected = metrics.counter(TrainingPipeline.fileRejectedCounter(s.name(), f));
        seen += rows + readRejected;
        for (Map<String, Object> in : inputs) {
          if (in.get("source").equals(s.name()) && in.get("path").equals(s.files().get(f))) {
            in.put("rowsRead", rows + readRejected);
            in.put("rowsRejectedByReader", readRejected);
            if (!in.containsKey("sha256")) {
              in.put("rowsDigest", RowsDigest.hex(metrics.counter(TrainingPipeline.fileDigestCounter(s.name(), f))));
            }
          }
        }
      }
      // Rows of this source rejected by any stage (reader, label check, split, transform, scoring).
      long rejected = metrics.counter(TrainingPipeline.rejectedCounter(s.name()));
      bySource.put(s.name(), rejected);
      total += rejected;
      if (seen > 0 && (double) rejected / seen > s.maxRejectedFraction()) {
        throw new ConfigException(String.format(Locale.ROOT,
            "source '%s': %d of %d rows (%.2f%%) were rejected, more than maxRejectedFraction %.4f; the rows and reasons are in %s (%s)",
            s.name(), rejected, seen, 100.0 * rejected / seen, s.maxRejectedFraction(), staging.resolve("rejected"), s.howToAccept()));
      }
    }
    return new Rejected(bySource, total);
  }
}
