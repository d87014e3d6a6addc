package dev.beamline.spi.beam;

import dev.beamline.spi.SourceStage;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The reading half of a line-oriented source (one row per line: LibSVM, JSON lines): each file is read by one
 * worker, line by line; blank lines are not rows but keep their numbers; every other line becomes a record, with
 * the id {@link RecordIds#of} gives its line, or a dead letter with the parser's reason. A plugin supplies only
 * the parsing of a line.
 */
public final class LineFiles {
  private LineFiles() {}

  /** Parses one line of text into a record with the given id, or says why it cannot. */
  @FunctionalInterface
  public interface LineParser extends Serializable {
    Parsed parse(String text, long id);
  }

  /**
   * What a line gave.
   *
   * @param record the row; null when the line is rejected
   * @param problem why the line is not a row, naming the column where there is one; null when it is one
   */
  public record Parsed(Record record, String problem) {
    public static Parsed row(Record record) {
      return new Parsed(record, null);
    }

    public static Parsed rejected(String problem) {
      return new Parsed(null, problem);
    }
  }

  /** Opens a file as UTF-8 text, through Beam's file systems ({@link InputFiles#open}). */
  public static BufferedReader open(String file, String source) throws IOException {
    return new BufferedReader(new InputStreamReader(Channels.newInputStream(InputFiles.open(file, source)), StandardCharsets.UTF_8),
        1 << 16);
  }

  /**
   * The source's read transform: {@link SourceStage#RECORDS} and {@link SourceStage#REJECTED}.
   *
   * @param name the transform's name
   * @param files the files, in the source's order (a file's index is part of its rows' ids)
   * @param source the source's name (dead letters and messages name it)
   * @param ordinal the source's ordinal in the pipeline
   */
  public static PTransform<PBegin, PCollectionTuple> read(String name, List<String> files, String source, int ordinal, LineParser parser) {
    List<String> paths = List.copyOf(files);
    return PerFile.read(name, paths.size(), new ReadLinesFn(paths, source, ordinal, parser));
  }

  /** Reads one file's lines. */
  static final class ReadLinesFn extends DoFn<Integer, Record> {
    private static final long serialVersionUID = 1L;
    private final List<String> files;
    private final String source;
    private final int ordinal;
    private final LineParser parser;

    ReadLinesFn(List<String> files, String source, int ordinal, LineParser parser) {
      this.files = files;
      this.source = source;
      this.ordinal = ordinal;
      this.parser = parser;
    }

    @ProcessElement
    public void process(@Element Integer fileIndex, MultiOutputReceiver out) throws IOException {
      String file = files.get(fileIndex);
      try (BufferedReader reader = open(file, source)) {
        String text;
        long line = 0;
        while ((text = reader.readLine()) != null) {
          line++;
          if (text.isBlank()) {
            continue;
          }
          Parsed parsed = parser.parse(text, RecordIds.of(ordinal, fileIndex, line));
          if (parsed.problem() != null) {
            out.get(SourceStage.REJECTED).output(new Rejected(source, file, line, parsed.problem(), text));
          } else {
            out.get(SourceStage.RECORDS).output(parsed.record());
          }
        }
      }
    }
  }
}
