package dev.beamline.plugins.jdbc;

import dev.beamline.spi.PredictionTable;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.beam.RecordCoder;
import dev.beamline.spi.beam.RejectedCoder;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.ColumnType;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Schema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Reads a table or a query (see {@link JdbcPlugin}) with Beam's JdbcIO: with a key column, in {@code partitions} ranges
 * of the partition column read side by side, each row's id its key; without one, by one reader, the ids the row
 * numbers. Before the run it checks on the launching machine that it can connect, that the columns exist with types
 * the schema can read, and that the keys are whole, unique row ids.
 */
final class JdbcSource implements SourceStage {
  private static final long serialVersionUID = 1L;
  /** The largest key a row id holds (40 bits, as a line number). */
  private static final long MAX_KEY = (1L << 40) - 1;

  private final JdbcSettings settings;
  private final int ordinal;

  JdbcSource(JdbcSettings settings, int ordinal) {
    this.settings = settings;
    this.ordinal = ordinal;
  }

  @Override
  public List<Path> inputs() {
    return List.of();
  }

  @Override
  public List<String> locations() {
    return List.of(settings.location());
  }

  /** The columns of the table or query but the key column: numbers numeric, the rest categorical ({@link JdbcColumns#infer}). */
  @Override
  public Optional<Schema> inferSchema(int sampleRows) {
    return Optional.of(withMetadata(meta -> JdbcColumns.infer(meta, settings.idColumn())));
  }

  @Override
  public void checkSchema(Schema schema) {
    for (Column c : schema.columns()) {
      if (c.type() == ColumnType.SPARSE) {
        throw new ConfigException("source '" + settings.source + "': column '" + c.name() + "' is sparse; a jdbc source reads numeric "
            + "and categorical columns");
      }
    }
    try (Connection c = settings.connect()) {
      withMetadata(c, meta -> {
        JdbcColumns.bind(schema, meta, settings.idColumn(), settings);
        if (settings.keyColumn != null && !settings.partitionColumn.equals(settings.keyColumn)) {
          int at = JdbcColumns.find(meta, settings.partitionColumn).orElseThrow(() -> new ConfigException("source '" + settings.source
              + "': " + settings.location() + " has no column '" + settings.partitionColumn + "' (sources." + settings.source
              + ".partitionColumn)"));
          requireWhole(meta, at, "source '" + settings.source + "': partitionColumn '" + settings.partitionColumn + "'");
        }
        return null;
      });
      if (settings.keyColumn != null) {
        checkKeys(c);
      }
    } catch (SQLException e) {
      throw new ConfigException("source '" + settings.source + "': " + settings.scrub(e.getMessage()));
    }
  }

  /** What a query's result columns tell. */
  private interface MetadataReader<T> {
    T read(ResultSetMetaData meta) throws SQLException;
  }

  /** {@link #withMetadata(Connection, MetadataReader)} on a connection of its own. */
  private <T> T withMetadata(MetadataReader<T> reader) {
    try (Connection c = settings.connect()) {
      return withMetadata(c, reader);
    } catch (SQLException e) {
      throw new ConfigException("source '" + settings.source + "': " + settings.scrub(e.getMessage()));
    }
  }

  /** Runs the read statement for no rows and reads its columns, with errors that name the table and the server. */
  private <T> T withMetadata(Connection c, MetadataReader<T> reader) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(settings.selectAll() + " WHERE 1 = 0")) {
      return reader.read(rs.getMetaData());
    } catch (SQLException e) {
      throw new ConfigException("source '" + settings.source + "': cannot read " + (settings.table != null ? "table " + settings.table
          : "the query") + " from " + settings.server() + ": " + settings.scrub(e.getMessage()) + " (check sources." + settings.source
          + (settings.table != null ? ".table)" : ".query)"));
    }
  }

  /** The key column holds whole numbers from 0 to 2^40 - 1, none null, none twice. */
  private void checkKeys(Connection c) {
    String key = JdbcSettings.sql(settings.keyColumn);
    String where = "source '" + settings.source + "': keyColumn '" + settings.keyColumn + "' of " + settings.location();
    String sql = "SELECT count(*), count(" + key + "), count(DISTINCT " + key + "), min(" + key + "), max(" + key + ") FROM " + settings.from();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      requireWhole(rs.getMetaData(), 4, where);
      rs.next();
      long rows = rs.getLong(1);
      long keys = rs.getLong(2);
      long distinct = rs.getLong(3);
      if (keys < rows) {
        throw new ConfigException(where + ": " + (rows - keys) + " rows have no key (null); every row needs one to have an id");
      }
      if (distinct < keys) {
        throw new ConfigException(where + ": " + (keys - distinct) + " keys occur more than once; row ids must be unique (choose a unique "
            + "column, or leave keyColumn out to number the rows)");
      }
      if (rows > 0 && (rs.getLong(4) < 0 || rs.getLong(5) > MAX_KEY)) {
        throw new ConfigException(where + ": keys run from " + rs.getLong(4) + " to " + rs.getLong(5) + "; a row id holds 0 to " + MAX_KEY);
      }
    } catch (SQLException e) {
      throw new ConfigException(where + ": " + settings.scrub(e.getMessage()));
    }
  }

  private static void requireWhole(ResultSetMetaData meta, int column, String where) throws SQLException {
    int type = meta.getColumnType(column);
    boolean whole = type == Types.TINYINT || type == Types.SMALLINT || type == Types.INTEGER || type == Types.BIGINT
        || ((type == Types.NUMERIC || type == Types.DECIMAL) && meta.getScale(column) == 0);
    if (!whole) {
      throw new ConfigException(where + " is " + meta.getColumnTypeName(column) + "; it must be a whole-number column (integer, bigint)");
    }
  }

  /** Predictions go into a table of the same database, with the same connection settings. */
  @Override
  public Optional<PredictionTable> predictionTable() {
    return Optional.of(new JdbcPredictionTable(settings));
  }

  @Override
  public PTransform<PBegin, PCollectionTuple> read(Schema schema) {
    JdbcRows rows = new JdbcRows(settings, schema, settings.idColumn(), ordinal);
    Coder<KV<Record, Rejected>> coder = KvCoder.of(NullableCoder.of(RecordCoder.of()), NullableCoder.of(RejectedCoder.of()));
    JdbcIO.DataSourceConfiguration database = JdbcIO.DataSourceConfiguration.create(settings.driver, settings.url);
    if (settings.user != null) {
      database = database.withUsername(settings.user);
    }
    if (settings.password() != null) {
      database = database.withPassword(settings.password());
    }
    PTransform<PBegin, PCollection<KV<Record, Rejected>>> query = settings.keyColumn != null
        ? JdbcIO.<KV<Record, Rejected>>readWithPartitions()
            .withDataSourceConfiguration(database)
            .withTable(settings.from())
            .withPartitionColumn(JdbcSettings.sql(settings.partitionColumn))
            .withNumPartitions(settings.partitions)
            .withFetchSize(settings.fetchSize)
            .withDisableAutoCommit(true)
            .withRowMapper(rows)
            .withCoder(coder)
        : JdbcIO.<KV<Record, Rejected>>read()
            .withDataSourceConfiguration(database)
            .withQuery(settings.selectAll())
            .withFetchSize(settings.fetchSize)
            .withDisableAutoCommit(true)
            .withOutputParallelization(true)
            .withRowMapper(rows)
            .withCoder(coder);
    return new PTransform<>("ReadJdbc") {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollectionTuple expand(PBegin begin) {
        PCollectionTuple out = begin.apply("Query", query)
            .apply("Sort out", ParDo.of(new SortOutFn()).withOutputTags(RECORDS, TupleTagList.of(REJECTED)));
        out.get(RECORDS).setCoder(RecordCoder.of());
        out.get(REJECTED).setCoder(RejectedCoder.of());
        return out;
      }
    };
  }

  /** Records to {@link #RECORDS}, dead letters to {@link #REJECTED}. */
  static final class SortOutFn extends DoFn<KV<Record, Rejected>, Record> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element KV<Record, Rejected> row, MultiOutputReceiver out) {
      if (row.getKey() != null) {
        out.get(RECORDS).output(row.getKey());
      } else {
        out.get(REJECTED).output(row.getValue());
      }
    }
  }
}
