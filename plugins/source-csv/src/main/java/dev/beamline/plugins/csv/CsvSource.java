package dev.beamline.plugins.csv;

import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.RecordBlock;
import dev.beamline.spi.beam.RecordBlockCoder;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.beam.InputFiles;
import dev.beamline.spi.beam.RejectedCoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;

/** Reads delimited text files; each file is read whole by one worker, rows in file order. */
final class CsvSource implements SourceStage {
  private static final long serialVersionUID = 1L;

  private final List<String> files;
  private final CsvOptions options;
  private final String name;
  private final int ordinal;

  CsvSource(List<String> files, CsvOptions options, SourceContext context) {
    this.files = List.copyOf(files);
    this.options = options;
    this.name = context.name();
    this.ordinal = context.ordinal();
  }

  @Override
  public List<Path> inputs() {
    return files.stream().map(Path::of).toList();
  }

  @Override
  public Optional<Schema> inferSchema(int sampleRows) throws IOException {
    String file = files.get(0);
    try (Reader reader = open(file); CsvReader<CsvRow> parser = options.records(reader)) {
      Iterator<CsvRow> rows = parser.iterator();
      List<String> names = new ArrayList<>();
      if (options.header().equals("use")) {
        if (!rows.hasNext()) {
          throw new ConfigException(file + ": the file is empty; a header line was expected (header: use)");
        }
        names.addAll(rows.next().fieldList());
      } else if (options.header().equals("skip") && rows.hasNext()) {
        rows.next();
      }
      List<CsvRow> sample = new ArrayList<>();
      while (rows.hasNext() && (sampleRows <= 0 || sample.size() < sampleRows)) {
        sample.add(rows.next());
      }
      int width = names.isEmpty() ? (sample.isEmpty() ? 0 : sample.get(0).fieldCount()) : names.size();
      if (width == 0) {
        throw new ConfigException(file + ": no rows to infer a schema from; declare the schema in the pipeline");
      }
      List<Column> columns = new ArrayList<>();
      for (int i = 0; i < width; i++) {
        String columnName = names.isEmpty() ? "column_" + (i + 1) : names.get(i);
        // Numeric when at least 99% of the sampled present values are numbers: a stray bad value then
        // becomes a dead-letter row instead of silently turning the column into text.
        long present = 0;
        long numbers = 0;
        Map<String, String> replace = options.replace().get(columnName);
        for (CsvRow row : sample) {
          String value = i >= row.fieldCount() ? null : CsvRowParser.cell(replace, options.missing(), row.field(i));
          if (value == null) {
            continue;
          }
          present++;
          if (!Double.isNaN(CsvRowParser.parseNumber(value))) {
            numbers++;
          }
        }
        boolean numeric = present > 0 && numbers >= 0.99 * present;
        boolean seen = present > 0;
        columns.add(numeric && seen ? Column.numeric(columnName) : Column.categorical(columnName));
      }
      return Optional.of(new Schema(columns));
    }
  }

  @Override
  public void checkSchema(Schema schema) throws IOException {
    for (int f = 0; f < files.size(); f++) {
      try (Reader reader = open(files.get(f)); CsvReader<CsvRow> parser = options.records(reader)) {
        Iterator<CsvRow> rows = parser.iterator();
        mapping(schema, files.get(f), rows);
        if (!options.header().equals("use")) {
          checkWidth(schema, files.get(f), rows);
        }
      }
    }
  }

  /** How many rows a file read by position is sampled for one of the schema's width. */
  static final int WIDTH_SAMPLE = 20;

  /**
   * Checks that a file read by position has rows as wide as the schema: a file whose first rows all have
   * another number of fields was written with other columns (e.g. without its label), and every row of it
   * would be rejected. A stray malformed row among them is left to the dead letters.
   */
  private void checkWidth(Schema schema, String file, Iterator<CsvRow> rows) {
    CsvRow first = null;
    for (int i = 0; i < WIDTH_SAMPLE && rows.hasNext(); i++) {
      CsvRow row = rows.next();
      if (row.fieldCount() == schema.columns().size()) {
        return;
      }
      first = first == null ? row : first;
    }
    if (first != null) {
      throw new ConfigException(file + ":" + (options.skipLines() + first.startingLineNumber())
          + ": the rows have " + first.fieldCount() + " fields but the schema has " + schema.columns().size() + " columns " + schema.names()
          + "; declare the file's columns in order, or use a header line (header: use)");
    }
  }

  /** For each schema column, the field it is read from; reads the header when there is one. */
  private CsvRowParser mapping(Schema schema, String file, Iterator<CsvRow> rows) {
    int[] fieldOf;
    int expected;
    if (options.header().equals("use")) {
      if (!rows.hasNext()) {
        throw new ConfigException(file + ": the file is empty; a header line was expected (header: use)");
      }
      CsvRow header = rows.next();
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < header.fieldCount(); i++) {
        index.putIfAbsent(header.field(i), i);
      }
      fieldOf = new int[schema.columns().size()];
      for (int c = 0; c < fieldOf.length; c++) {
        String column = schema.columns().get(c).name();
        Integer i = index.get(column);
        if (i == null) {
          throw new ConfigException(file + ":" + (options.skipLines() + 1) + ": the header has no column '" + column
              + "'; it has " + index.keySet() + ". Rename the column in the schema, or use header: skip to read columns by position");
        }
        fieldOf[c] = i;
      }
      expected = header.fieldCount();
    } else {
      if (options.header().equals("skip") && rows.hasNext()) {
        rows.next();
      }
      fieldOf = IntStream.range(0, schema.columns().size()).toArray();
      expected = fieldOf.length;
    }
    return new CsvRowParser(schema, fieldOf, expected, options.missing(), options.replace());
  }

  private Reader open(String file) throws IOException {
    return open(file, Long.MAX_VALUE);
  }

  /** A reader of the file's bytes [0, end), past the lines to skip. */
  private Reader open(String file, long end) throws IOException {
    BufferedReader reader = (BufferedReader) openRange(file, 0, end);
    for (int i = 0; i < options.skipLines(); i++) {
      if (reader.readLine() == null) {
        break;
      }
    }
    return reader;
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> read(Schema schema) {
    CsvSource source = this;
    return new PTransform<>("ReadCsv") {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollectionTuple expand(PBegin begin) {
        List<Integer> indices = IntStream.range(0, files.size()).boxed().toList();
        PCollectionTuple out = begin.apply("Files", Create.of(indices))
            .apply("Plan chunks", ParDo.of(new PlanChunksFn(source))).setCoder(SerializableCoder.of(Chunk.class))
            .apply("Spread chunks", Reshuffle.viaRandomKey())
            .apply("Parse", ParDo.of(new ParseChunkFn(source, schema)).withOutputTags(BLOCKS, TupleTagList.of(REJECTED)));
        out.get(BLOCKS).setCoder(RecordBlockCoder.of());
        out.get(REJECTED).setCoder(RejectedCoder.of());
        return out;
      }
    };
  }

  /**
   * A byte range of a file that starts at the beginning of a line.
   *
   * @param file the file's index
   * @param start the first byte
   * @param end one past the last byte ({@code Long.MAX_VALUE}: to the end)
   * @param linesBefore how many lines precede the chunk
   */
  record Chunk(int file, long start, long end, long linesBefore) implements java.io.Serializable {}

  /**
   * Cuts each file into chunks at line feeds, counting the lines before each so that rejected rows keep their
   * true line numbers. One pass over the bytes; a file that must be read whole is one chunk.
   */
  static final class PlanChunksFn extends DoFn<Integer, Chunk> {
    private static final long serialVersionUID = 1L;
    private final CsvSource source;

    PlanChunksFn(CsvSource source) {
      this.source = source;
    }

    @ProcessElement
    public void process(@Element Integer fileIndex, OutputReceiver<Chunk> out) throws IOException {
      if (!source.options.chunked()) {
        out.output(new Chunk(fileIndex, 0, Long.MAX_VALUE, 0));
        return;
      }
      long target = source.options.chunkBytes();
      try (InputStream in = Channels.newInputStream(
          InputFiles.open(source.files.get(fileIndex), source.name))) {
        byte[] buffer = new byte[1 << 20];
        long position = 0; // the file offset of buffer[0]
        long lines = 0;
        long chunkStart = 0;
        long chunkLines = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
          int i = 0;
          while (i < n) {
            // A chunk ends at the first line end at or after chunkStart + target - 1: up to there lines are only counted.
            int until = (int) Math.min(n, Math.max(i, chunkStart + target - 1 - position));
            lines += LineEnds.count(buffer, i, until);
            i = until;
            while (i < n && buffer[i] != '\n') {
              i++;
            }
            if (i < n) {
              lines++;
              long next = position + ++i;
              out.output(new Chunk(fileIndex, chunkStart, next, chunkLines));
              chunkStart = next;
              chunkLines = lines;
            }
          }
          position += n;
        }
        if (position > chunkStart || chunkStart == 0) {
          out.output(new Chunk(fileIndex, chunkStart, Long.MAX_VALUE, chunkLines));
        }
      }
    }
  }

  /**
   * Parses one chunk into blocks of records and rejected rows. Blocks, not single records: the DirectRunner keeps
   * every chunk's whole output until the next step runs, and at 4M rows single records waiting there were 3.5 million
   * sets of objects for the collector to trace (2 s full collections).
   */
  static final class ParseChunkFn extends DoFn<Chunk, RecordBlock> {
    private static final long serialVersionUID = 1L;
    private final CsvSource source;
    private final Schema schema;

    ParseChunkFn(CsvSource source, Schema schema) {
      this.source = source;
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element Chunk chunk, MultiOutputReceiver out) throws IOException {
      String file = source.files.get(chunk.file());
      CsvRowParser rowParser;
      long lineBase;
      if (chunk.start() > 0) {
        // Not the file's first chunk: read the header (if any) from the file's head for the column mapping.
        try (Reader head = source.open(file, Long.MAX_VALUE); CsvReader<CsvRow> parser = source.options.records(head)) {
          rowParser = source.mapping(schema, file, parser.iterator());
        }
        lineBase = chunk.linesBefore();
      } else {
        rowParser = null;
        lineBase = source.options.skipLines();
      }
      Reader reader = chunk.start() == 0 ? source.open(file, chunk.end()) : source.openRange(file, chunk.start(), chunk.end());
      try (reader; CsvReader<CsvRow> parser = source.options.records(reader)) {
        Iterator<CsvRow> rows = parser.iterator();
        if (rowParser == null) {
          rowParser = source.mapping(schema, file, rows);
        }
        long lastLine = 0;
        RecordBlock.Builder block = new RecordBlock.Builder();
        while (true) {
          CsvRow row;
          try {
            if (!rows.hasNext()) {
              break;
            }
            row = rows.next();
          } catch (UncheckedIOException | CsvParseException e) {
            throw new ConfigException(file + ":" + (lineBase + brokenLine(e, lastLine))
                + ": the CSV structure is broken (" + rootMessage(e) + "); fix the quoting from this line on"
                + (source.options.chunked() ? ", or set multilineValues: true if quoted values hold line breaks" : ""), e);
          }
          // The line the row starts on (a quoted value may hold line breaks), as a person opening the file counts.
          long line = lineBase + row.startingLineNumber();
          lastLine = row.startingLineNumber();
          CsvRowParser.Result result = rowParser.parse(row, RecordIds.of(source.ordinal, chunk.file(), line));
          if (result.record() != null) {
            RecordBlock full = block.add(result.record());
            if (full != null) {
              out.get(BLOCKS).output(full);
            }
          } else {
            out.get(REJECTED).output(new Rejected(source.name, file, line, result.problem(),
                String.join(String.valueOf(source.options.delimiter()), row.fieldList())));
          }
        }
        if (!block.isEmpty()) {
          out.get(BLOCKS).output(block.build());
        }
      }
    }

    /**
     * The line (counted from the chunk's start) of the record FastCSV could not read: the one its message
     * names ("... record that started in line N"), else the line after the last good record.
     */
    static long brokenLine(RuntimeException e, long lastLine) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("started in line (\\d+)").matcher(String.valueOf(e.getMessage()));
      return m.find() ? Long.parseLong(m.group(1)) : lastLine + 1;
    }

    private static String rootMessage(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null) {
        t = t.getCause();
      }
      return t.getMessage();
    }
  }

  /** A reader of bytes [start, end) of a file. */
  private Reader openRange(String file, long start, long end) throws IOException {
    java.nio.channels.ReadableByteChannel channel = InputFiles.open(file, name);
    InputStream in;
    if (channel instanceof java.nio.channels.SeekableByteChannel seekable) {
      seekable.position(start);
      in = Channels.newInputStream(seekable);
    } else {
      in = Channels.newInputStream(channel);
      in.skipNBytes(start);
    }
    return new BufferedReader(new InputStreamReader(end == Long.MAX_VALUE ? in : new BoundedInputStream(in, end - start),
        Charset.forName(options.charset())), 1 << 16);
  }

  /** At most {@code limit} bytes of a stream. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }
}
