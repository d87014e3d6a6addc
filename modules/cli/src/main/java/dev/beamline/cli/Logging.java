package dev.beamline.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command's logging (logback), on standard error: text lines, or one JSON object per line for log
 * collectors ({@code BEAMLINE_LOG_FORMAT=json}: timestamp in epoch milliseconds, level, thread, logger,
 * message, throwable). Warnings and errors only, unless {@code -v}; the libraries' routine complaints
 * are turned down (below).
 */
final class Logging {
  /** The environment variable choosing the format. */
  static final String FORMAT_ENV = "BEAMLINE_LOG_FORMAT";

  /** The log format. */
  enum Format { TEXT, JSON }

  /** Loggers quieter than the rest unless -v: what each says on every run that is not the user's business. */
  private static final Map<String, String> QUIET = Map.of(
      // Beam's file sink warns when its temporary directory is already gone after a successful write.
      "org.apache.beam.sdk.io.FileBasedSink", "the file sink's cleanup",
      // The embedded Flink cluster warns about its own web UI, tokens and metric names on every run.
      "org.apache.flink", "the embedded Flink cluster",
      "org.apache.pekko", "Flink's RPC",
      // MLflow's Java client logs each answer it repeats (every 4xx, three times) as "Rate limit exceeded";
      // Beamline's tracker reports what matters itself.
      "org.mlflow", "MLflow's client");

  private Logging() {}

  /** The format {@code BEAMLINE_LOG_FORMAT} names (text when unset). */
  static Format format(String value) {
    if (value == null || value.isBlank()) {
      return Format.TEXT;
    }
    try {
      return Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(FORMAT_ENV + "=" + value + ": give text or json");
    }
  }

  /** (Re)configures logging for one command. */
  static void configure(boolean verbose, Format format) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setTarget("System.err");
    console.setEncoder(encoder(context, format));
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(verbose ? Level.INFO : Level.WARN);
    root.addAppender(console);
    QUIET.keySet().forEach(name -> context.getLogger(name).setLevel(verbose ? Level.INFO : Level.ERROR));
    // The server says when it swaps models, and the serve command what it serves.
    context.getLogger("dev.beamline.serving").setLevel(Level.INFO);
    context.getLogger(Serve.class).setLevel(Level.INFO);
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext context, Format format) {
    if (format == Format.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMDC(false);
      json.setWithKVPList(false);
      json.setWithMarkers(false);
      json.setWithArguments(false);
      json.setWithMessage(false);
      json.setWithFormattedMessage(true);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %level %logger - %msg%n");
    text.start();
    return text;
  }
}
