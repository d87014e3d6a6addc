package dev.beamline.plugins.csv;

import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.RecordIds;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.beam.RecordCoder;
import dev.beamline.spi.beam.RejectedCoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
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
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

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
    try (Reader reader = open(file); CSVParser parser = CSVParser.builder().setReader(reader).setFormat(options.format()).get()) {
      Iterator<CSVRecord> rows = parser.iterator();
      List<String> names = new ArrayList<>();
      if (options.header().equals("use")) {
        if (!rows.hasNext()) {
          throw new ConfigException(file + ": the file is empty; a header line was expected (header: use)");
        }
        rows.next().forEach(names::add);
      } else if (options.header().equals("skip") && rows.hasNext()) {
        rows.next();
      }
      List<CSVRecord> sample = new ArrayList<>();
      while (rows.hasNext() && (sampleRows <= 0 || sample.size() < sampleRows)) {
        sample.add(rows.next());
      }
      int width = names.isEmpty() ? (sample.isEmpty() ? 0 : sample.get(0).size()) : names.size();
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
        for (CSVRecord row : sample) {
          if (i >= row.size() || options.missing().contains(row.get(i))) {
            continue;
          }
          present++;
          if (!Double.isNaN(CsvRowParser.parseNumber(row.get(i)))) {
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
      try (Reader reader = open(files.get(f)); CSVParser parser = CSVParser.builder().setReader(reader).setFormat(options.format()).get()) {
        mapping(schema, files.get(f), parser.iterator());
      }
    }
  }

  /** For each schema column, the field it is read from; reads the header when there is one. */
  private CsvRowParser mapping(Schema schema, String file, Iterator<CSVRecord> rows) {
    int[] fieldOf;
    int expected;
    if (options.header().equals("use")) {
      if (!rows.hasNext()) {
        throw new ConfigException(file + ": the file is empty; a header line was expected (header: use)");
      }
      CSVRecord header = rows.next();
      Map<String, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        index.putIfAbsent(header.get(i), i);
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
      expected = header.size();
    } else {
      if (options.header().equals("skip") && rows.hasNext()) {
        rows.next();
      }
      fieldOf = IntStream.range(0, schema.columns().size()).toArray();
      expected = fieldOf.length;
    }
    return new CsvRowParser(schema, fieldOf, expected, options.missing());
  }

  private Reader open(String file) throws IOException {
    BufferedReader reader;
    try {
      reader = new BufferedReader(new InputStreamReader(
          Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(file).resourceId())),
          Charset.forName(options.charset())), 1 << 16);
    } catch (java.io.FileNotFoundException e) {
      throw new ConfigException(file + ": no such file (source '" + name + "')", e);
    }
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
            .apply("Parse", ParDo.of(new ReadFileFn(source, schema)).withOutputTags(RECORDS, TupleTagList.of(REJECTED)));
        out.get(RECORDS).setCoder(RecordCoder.of());
        out.get(REJECTED).setCoder(RejectedCoder.of());
        return out;
      }
    };
  }

  /** Reads one file (by index) into records and rejected rows. */
  static final class ReadFileFn extends DoFn<Integer, Record> {
    private static final long serialVersionUID = 1L;
    private final CsvSource source;
    private final Schema schema;

    ReadFileFn(CsvSource source, Schema schema) {
      this.source = source;
      this.schema = schema;
    }

    @ProcessElement
    public void process(@Element Integer fileIndex, MultiOutputReceiver out) throws IOException {
      String file = source.files.get(fileIndex);
      long firstLine = source.options.skipLines();
      try (Reader reader = source.open(file);
           CSVParser parser = CSVParser.builder().setReader(reader).setFormat(source.options.format()).get()) {
        Iterator<CSVRecord> rows = parser.iterator();
        CsvRowParser rowParser = source.mapping(schema, file, rows);
        while (true) {
          CSVRecord row;
          try {
            if (!rows.hasNext()) {
              break;
            }
            row = rows.next();
          } catch (UncheckedIOException | IllegalStateException e) {
            throw new ConfigException(file + ":" + (firstLine + parser.getCurrentLineNumber() + 1)
                + ": the CSV structure is broken (" + rootMessage(e) + "); fix the quoting from this line on", e);
          }
          long line = firstLine + parser.getCurrentLineNumber();
          CsvRowParser.Result result = rowParser.parse(row, RecordIds.of(source.ordinal, fileIndex, line));
          if (result.record() != null) {
            out.get(RECORDS).output(result.record());
          } else {
            out.get(REJECTED).output(new Rejected(source.name, file, line, result.problem(),
                String.join(String.valueOf(source.options.delimiter()), row.values())));
          }
        }
      }
    }

    private static String rootMessage(Throwable e) {
      Throwable t = e;
      while (t.getCause() != null) {
        t = t.getCause();
      }
      return t.getMessage();
    }
  }
}
