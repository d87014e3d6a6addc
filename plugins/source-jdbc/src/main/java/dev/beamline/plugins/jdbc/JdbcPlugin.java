package dev.beamline.plugins.jdbc;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.SourceContext;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigKey;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code jdbc} source: a database table or query, through JDBC. Row ids come from a key column (a unique whole
 * number per row), so that every runner and every run gives a row the same id and so the same split; the rows are read
 * in {@code partitions} ranges of the partition column (the key column unless named) side by side. The user and password
 * come from the pipeline file or from environment variables; the password is a secret, never printed, tracked or in
 * {@code run.json}, and the URL may not hold credentials.
 */
public final class JdbcPlugin implements BeamlinePlugin, SourceFactory {
  private static final int DEFAULT_PARTITIONS = 4;
  private static final ConfigSpec SPEC = ConfigSpec.of(
      ConfigKey.ofString("url").asRequired().describedAs("the JDBC URL, e.g. jdbc:postgresql://db.example.com:5432/sales (no credentials in it)"),
      ConfigKey.ofString("table").describedAs("the table to read (this or query)"),
      ConfigKey.ofString("query").describedAs("a SELECT whose rows to read (this or table)"),
      ConfigKey.ofString("keyColumn").describedAs("a unique whole-number column, 0 to 2^40 - 1: the row ids (without one the rows are "
          + "numbered in the order the database returns them, read by one worker)"),
      ConfigKey.ofString("partitionColumn").describedAs("the whole-number column whose ranges are read side by side (default: keyColumn)"),
      ConfigKey.ofInt("partitions").withDefault(DEFAULT_PARTITIONS).describedAs("how many ranges of the partition column are read side by side"),
      ConfigKey.ofString("user").describedAs("the database user"),
      ConfigKey.ofString("userEnv").describedAs("the environment variable holding the user"),
      ConfigKey.ofString("password").asSecret().describedAs("the password (secret: never printed or tracked); prefer passwordEnv"),
      ConfigKey.ofString("passwordEnv").describedAs("the environment variable holding the password"),
      ConfigKey.ofString("driver").describedAs("the JDBC driver class (default: the one on the class path that takes the URL)"),
      ConfigKey.ofInt("fetchSize").withDefault(10_000).describedAs("rows fetched per round trip"));

  private final Function<String, String> environment;

  public JdbcPlugin() {
    this(System::getenv);
  }

  /** A plugin reading environment variables from {@code environment} (tests). */
  JdbcPlugin(Function<String, String> environment) {
    this.environment = environment;
  }

  /** A plugin whose environment is {@code variables} (tests). */
  static JdbcPlugin withEnvironment(Map<String, String> variables) {
    return new JdbcPlugin(variables::get);
  }

  @Override
  public List<SourceFactory> sources() {
    return List.of(this);
  }

  @Override
  public String id() {
    return "jdbc";
  }

  @Override
  public String description() {
    return "a database table or query through JDBC (PostgreSQL's driver included), read in parallel key ranges";
  }

  @Override
  public ConfigSpec configSpec() {
    return SPEC;
  }

  @Override
  public SourceStage create(StageConfig config, SourceContext context) {
    String where = "sources." + context.name();
    String url = config.getString("url");
    if (url.matches("(?i).*[?&;]password=.*") || url.matches("(?i)jdbc:[a-z0-9]+://[^/@]*:[^/@]*@.*")) {
      throw new ConfigException(where + ".url holds a password, which would be printed and tracked with the URL; give it in "
          + where + ".passwordEnv (or " + where + ".password) instead");
    }
    String table = config.has("table") ? config.getString("table") : null;
    String query = config.has("query") ? config.getString("query") : null;
    if ((table == null) == (query == null)) {
      throw new ConfigException(where + ": give exactly one of table and query");
    }
    String key = config.has("keyColumn") ? config.getString("keyColumn") : null;
    if (key == null && (config.has("partitionColumn") || config.getInt("partitions") != DEFAULT_PARTITIONS)) {
      throw new ConfigException(where + ": partitionColumn and partitions need a keyColumn (the row ids of rows read side by side)");
    }
    if (config.getInt("partitions") < 1 || config.getInt("fetchSize") < 1) {
      throw new ConfigException(where + ": partitions and fetchSize must be at least 1");
    }
    String partitionColumn = config.has("partitionColumn") ? config.getString("partitionColumn") : key;
    JdbcSettings settings = new JdbcSettings(context.name(), url, JdbcSettings.driverFor(url, config.has("driver") ? config.getString("driver")
        : null, where), either(config, "user", where), either(config, "password", where), table, query, key, partitionColumn,
        config.getInt("partitions"), config.getInt("fetchSize"));
    return new JdbcSource(settings, context.ordinal());
  }

  /** The value of {@code key}, or of the environment variable {@code key + "Env"} names; null when neither is given. */
  private String either(StageConfig config, String key, String where) {
    String env = key + "Env";
    if (config.has(key) && config.has(env)) {
      throw new ConfigException(where + ": give " + key + " or " + env + ", not both");
    }
    if (config.has(key)) {
      return config.getString(key);
    }
    if (!config.has(env)) {
      return null;
    }
    String value = environment.apply(config.getString(env));
    if (value == null) {
      throw new ConfigException(where + "." + env + ": the environment variable " + config.getString(env) + " is not set");
    }
    return value;
  }
}
