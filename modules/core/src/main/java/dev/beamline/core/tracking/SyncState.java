package dev.beamline.core.tracking;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far a run's journal has been delivered to one tracking target: {@code tracking/sync-<hash>.json}
 * beside the journal, holding the target (without credentials), the last delivered entry, the entry being
 * delivered when the file was last written, and the sink's own state (e.g. the backend's run id). It is
 * replaced atomically after every change, so a killed process leaves either the old or the new version.
 */
public final class SyncState {
  private final Path file;
  private final String target;
  long delivered;
  long inFlight;
  final Map<String, String> sink;

  private SyncState(Path file, String target, long delivered, long inFlight, Map<String, String> sink) {
    this.file = file;
    this.target = target;
    this.delivered = delivered;
    this.inFlight = inFlight;
    this.sink = sink;
  }

  /** The target as stored and shown: the URI without user information (and without anything after the scheme when it has no host). */
  public static String shown(URI target) {
    if (target.getHost() == null) {
      return "'" + target.getScheme() + ":...'";
    }
    try {
      return new URI(target.getScheme(), null, target.getHost(), target.getPort(), target.getPath(), null, null).toString();
    } catch (java.net.URISyntaxException e) {
      return target.getScheme() + "://" + target.getHost();
    }
  }

  /** Loads (or starts) the state of a run directory for a target. */
  public static SyncState load(Path runDirectory, URI target) throws IOException {
    String shown = shown(target);
    Path file = runDirectory.resolve("tracking").resolve("sync-" + hash(shown) + ".json");
    if (!Files.exists(file)) {
      return new SyncState(file, shown, 0, 0, new LinkedHashMap<>());
    }
    Map<String, Object> json = Journal.MAPPER.readValue(Files.readString(file), new TypeReference<LinkedHashMap<String, Object>>() {});
    Map<String, String> sink = new LinkedHashMap<>();
    if (json.get("state") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> sink.put(String.valueOf(k), String.valueOf(v)));
    }
    return new SyncState(file, shown, ((Number) json.getOrDefault("delivered", 0)).longValue(),
        ((Number) json.getOrDefault("inFlight", 0)).longValue(), sink);
  }

  /** The last entry delivered (0 = none). */
  public long delivered() {
    return delivered;
  }

  /** The sink's state (e.g. {@code runId}). */
  public Map<String, String> sinkState() {
    return sink;
  }

  /** What the sink asks to show ({@code display.*} keys), request counts last. */
  public Map<String, String> display() {
    Map<String, String> out = new LinkedHashMap<>();
    sink.forEach((k, v) -> {
      if (k.startsWith("display.") && !k.equals("display.calls")) {
        out.put(k.substring("display.".length()), v);
      }
    });
    if (sink.containsKey("display.calls")) {
      out.put("calls", sink.get("display.calls"));
    }
    return out;
  }

  /** The target, without credentials. */
  public String target() {
    return target;
  }

  /** Writes the state atomically. */
  public void save() throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("target", target);
    json.put("delivered", delivered);
    json.put("inFlight", inFlight);
    json.put("state", sink);
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, Journal.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
