package dev.beamline.scoring;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a model is: a local directory (a run directory or its {@code model/}), {@code runs:/<run_id>/<path>},
 * {@code models:/<name>/<version>} or {@code models:/<name>@<alias>}. URIs are resolved to a local
 * directory by a {@link Fetcher} (the code behind {@code beamline models pull}); an alias may point at a new
 * version later, so it is worth polling.
 *
 * @param text what the user wrote
 */
public record ModelLocation(String text) {
  private static final Pattern ALIAS = Pattern.compile("models:/([^/@]+)@([^/@]+)");
  private static final Pattern VERSION = Pattern.compile("models:/([^/@]+)/([0-9]+)");

  /** Resolves a model URI to a local directory (downloading it once). */
  @FunctionalInterface
  public interface Fetcher {
    Path fetch(String uri) throws Exception;
  }

  public ModelLocation {
    Objects.requireNonNull(text, "text");
  }

  /** Whether this names a tracking server's model rather than a local directory. */
  public boolean isUri() {
    return text.startsWith("runs:/") || text.startsWith("models:/");
  }

  /** Whether this is {@code models:/<name>@<alias>}, whose version can change. */
  public boolean isAlias() {
    return ALIAS.matcher(text).matches();
  }

  /** The registered model's name, or {@code null} for a directory or a run. */
  public String registeredName() {
    Matcher m = ALIAS.matcher(text);
    if (m.matches()) {
      return m.group(1);
    }
    m = VERSION.matcher(text);
    return m.matches() ? m.group(1) : null;
  }

  /**
   * The version of the model in {@code dir}, which this location resolved to: the registered version for
   * {@code models:/} (the cache keeps versions as {@code .../<name>/<version>}), {@code run} for
   * {@code runs:/}, {@code local} for a directory.
   */
  public String version(Path dir) {
    return registeredName() != null ? dir.getFileName().toString() : text.startsWith("runs:/") ? "run" : "local";
  }

  /** The run id of {@code runs:/<run_id>/...}, or {@code null}. */
  public String runId() {
    return text.startsWith("runs:/") ? text.substring("runs:/".length()).split("/")[0] : null;
  }

  /** The local directory: the path itself, or what {@code fetcher} downloaded. */
  public Path resolve(Fetcher fetcher) throws Exception {
    return isUri() ? fetcher.fetch(text) : Path.of(text);
  }

  @Override
  public String toString() {
    return text;
  }
}
