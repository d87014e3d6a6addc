package dev.beamline.spi.data;

import java.io.Serializable;
import java.util.Objects;

/**
 * A row a source could not turn into a {@link Record}: it goes to the run's dead-letter output
 * ({@code rejected/}) and is counted; it is never silently dropped.
 *
 * @param source the source's name in the pipeline spec (e.g. {@code train})
 * @param file the file it came from
 * @param line the 1-based line number in that file
 * @param reason why, naming the column at fault, e.g. {@code column 'age': 'abc' is not a number}
 * @param raw the raw text of the row (truncated to a few kilobytes)
 */
public record Rejected(String source, String file, long line, String reason, String raw) implements Serializable {
  /** The longest raw text kept. */
  public static final int MAX_RAW = 4096;

  public Rejected {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reason, "reason");
    raw = raw == null ? "" : raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) : raw;
  }
}
