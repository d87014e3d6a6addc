package dev.beamline.core.tracking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.tracking.TrackingEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's tracking journal, {@code tracking/journal.jsonl} in the run directory: every tracking event of
 * the run, one JSON object per line, numbered from 1, written (and flushed) before any tracker sees the
 * event. The first line's event is {@link TrackingEvent.RunStarted}, which also names the tracker and its
 * configuration, so that {@code beamline tracking sync} can replay the journal without the pipeline file.
 */
public final class Journal implements AutoCloseable {
  /** The journal's path inside a run directory. */
  public static final String FILE = "tracking/journal.jsonl";

  static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final Map<String, Class<? extends TrackingEvent>> TYPES = Map.of(
      "run_started", TrackingEvent.RunStarted.class,
      "child_run", TrackingEvent.ChildRun.class,
      "params", TrackingEvent.ParamsLogged.class,
      "metrics", TrackingEvent.MetricsLogged.class,
      "inputs", TrackingEvent.InputsLogged.class,
      "artifacts", TrackingEvent.ArtifactsLogged.class,
      "model_registered", TrackingEvent.ModelRegistered.class,
      "tags", TrackingEvent.TagsSet.class,
      "run_ended", TrackingEvent.RunEnded.class);

  /**
   * A journal line: its number, the event, and for the first line the tracker to deliver with and the
   * process (PID and host) that wrote the journal.
   */
  public record Entry(long seq, TrackingEvent event, String tracker, Map<String, Object> trackerConfig, long pid, String host) {}

  private final BufferedWriter out;
  private long seq;

  private Journal(BufferedWriter out, long seq) {
    this.out = out;
    this.seq = seq;
  }

  /** Opens the journal of a run directory for appending (creating it if needed). */
  public static Journal open(Path runDirectory) throws IOException {
    Path file = runDirectory.resolve(FILE);
    Files.createDirectories(file.getParent());
    long seq = Files.exists(file) ? read(runDirectory).size() : 0;
    return new Journal(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND), seq);
  }

  /** Appends an event and flushes it; returns its entry. */
  public synchronized Entry append(TrackingEvent event, String tracker, Map<String, Object> trackerConfig) throws IOException {
    long next = seq + 1;
    ObjectNode line = MAPPER.createObjectNode();
    line.put("seq", next);
    line.put("type", event.type());
    long pid = 0;
    String host = null;
    if (tracker != null) {
      pid = ProcessHandle.current().pid();
      host = hostName();
      line.put("tracker", tracker);
      line.set("trackerConfig", MAPPER.valueToTree(trackerConfig));
      line.put("pid", pid);
      line.put("host", host);
    }
    line.set("event", MAPPER.valueToTree(event));
    out.write(MAPPER.writeValueAsString(line));
    out.write('\n');
    out.flush();
    seq = next;
    return new Entry(next, event, tracker, trackerConfig, pid, host);
  }

  /** Reads every entry of a run directory's journal; a torn last line (a killed process) is ignored. */
  @SuppressWarnings("unchecked")
  public static List<Entry> read(Path runDirectory) throws IOException {
    Path file = runDirectory.resolve(FILE);
    if (!Files.exists(file)) {
      throw new ConfigException(runDirectory + ": no tracking journal (" + FILE + "); is this a Beamline run directory?");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (text.isBlank()) {
        continue;
      }
      JsonNode line;
      try {
        line = MAPPER.readTree(text);
      } catch (JsonProcessingException e) {
        if (i == lines.size() - 1) {
          break; // the process died while writing its last line: that event was never delivered either
        }
        throw new ConfigException(file + ":" + (i + 1) + ": not a journal line (" + e.getOriginalMessage() + ")", e);
      }
      Class<? extends TrackingEvent> type = TYPES.get(line.path("type").asText());
      if (type == null || line.path("seq").asLong() != entries.size() + 1) {
        throw new ConfigException(file + ":" + (i + 1) + ": unexpected journal entry (type '" + line.path("type").asText()
            + "', seq " + line.path("seq").asText() + "); the journal is damaged");
      }
      TrackingEvent event = MAPPER.treeToValue(line.get("event"), type);
      String tracker = line.hasNonNull("tracker") ? line.get("tracker").asText() : null;
      Map<String, Object> config = line.hasNonNull("trackerConfig") ? MAPPER.convertValue(line.get("trackerConfig"), Map.class) : null;
      entries.add(new Entry(line.get("seq").asLong(), event, tracker, config, line.path("pid").asLong(0),
          line.hasNonNull("host") ? line.get("host").asText() : null));
    }
    return entries;
  }

  /** This machine's name, as journals record it. */
  public static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "unknown";
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
