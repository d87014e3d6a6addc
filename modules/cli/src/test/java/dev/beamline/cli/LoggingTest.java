package dev.beamline.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoggingTest {
  @Test
  void theFormatIsTextUnlessJsonIsAsked() {
    assertEquals(Logging.Format.TEXT, Logging.format(null));
    assertEquals(Logging.Format.TEXT, Logging.format(" "));
    assertEquals(Logging.Format.JSON, Logging.format("JSON"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Logging.format("xml"));
    assertEquals("BEAMLINE_LOG_FORMAT=xml: give text or json", bad.getMessage());
  }

  /** Runs {@code body} with logging configured as given, and returns what went to standard error. */
  private static String logged(boolean verbose, Logging.Format format, Runnable body) {
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      Logging.configure(verbose, format);
      body.run();
    } finally {
      System.setErr(saved);
      Logging.configure(false, Logging.Format.TEXT);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonLogsAreOneObjectPerLineAndTheQuietLibrariesStayQuiet() throws Exception {
    String out = logged(false, Logging.Format.JSON, () -> {
      LoggerFactory.getLogger("dev.beamline.serving.ModelHolder").info("swapped in version {}", 2);
      LoggerFactory.getLogger("org.apache.flink.runtime.Something").warn("routine complaint");
      LoggerFactory.getLogger("dev.beamline.core.Other").info("not shown without -v");
      LoggerFactory.getLogger("dev.beamline.core.Other").warn("a \"quoted\" warning");
    });
    String[] lines = out.strip().split("\n");
    assertEquals(2, lines.length, out);
    JsonNode first = new ObjectMapper().readTree(lines[0]);
    assertEquals("INFO", first.get("level").asText());
    assertEquals("swapped in version 2", first.get("formattedMessage").asText());
    assertEquals("dev.beamline.serving.ModelHolder", first.get("loggerName").asText());
    assertTrue(first.get("timestamp").asLong() > 0);
    assertEquals("a \"quoted\" warning", new ObjectMapper().readTree(lines[1]).get("formattedMessage").asText());
  }

  @Test
  void verboseTextShowsInfoAndTheLibraries() {
    String out = logged(true, Logging.Format.TEXT, () -> {
      LoggerFactory.getLogger("org.apache.flink.runtime.Something").info("flink says");
      LoggerFactory.getLogger("dev.beamline.core.Other").info("beamline says");
    });
    assertTrue(out.contains("INFO org.apache.flink.runtime.Something - flink says") && out.contains("beamline says"), out);
  }
}
