package dev.beamline.core.plugin;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.EvaluatorFactory;
import dev.beamline.spi.FeatureFactory;
import dev.beamline.spi.SourceFactory;
import dev.beamline.spi.StageFactory;
import dev.beamline.spi.StageKind;
import dev.beamline.spi.TrainerFactory;
import dev.beamline.spi.config.ConfigException;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stage the plugins on the class path provide, found with {@link ServiceLoader}. Discovery is
 * deterministic (stages are ordered by kind and identifier, whatever the class path order), rejects
 * malformed and duplicate identifiers naming both providers, and logs one line per registered stage.
 */
public final class PluginRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");

  /** A registered stage and where it came from. */
  public record Registered(StageFactory factory, String plugin, String module) {}

  private final Map<StageKind, TreeMap<String, Registered>> stages = new EnumMap<>(StageKind.class);

  private PluginRegistry(List<BeamlinePlugin> plugins) {
    for (StageKind kind : StageKind.values()) {
      stages.put(kind, new TreeMap<>());
    }
    List<BeamlinePlugin> sorted = new ArrayList<>(plugins);
    sorted.sort(Comparator.comparing(p -> p.getClass().getName()));
    for (BeamlinePlugin plugin : sorted) {
      String module = moduleOf(plugin.getClass());
      register(plugin, module, plugin.sources(), StageKind.SOURCE);
      register(plugin, module, plugin.features(), StageKind.FEATURE);
      register(plugin, module, plugin.trainers(), StageKind.TRAINER);
      register(plugin, module, plugin.evaluators(), StageKind.EVALUATOR);
      register(plugin, module, plugin.trackers(), StageKind.TRACKER);
    }
    for (StageKind kind : StageKind.values()) {
      stages.get(kind).values().forEach(r -> LOG.info("registered {} '{}' {} from {} ({})", kind.label(), r.factory().id(),
          r.factory().version(), r.plugin(), r.module()));
    }
  }

  /** Discovers plugins with the context class loader. */
  public static PluginRegistry discover() {
    List<BeamlinePlugin> plugins = new ArrayList<>();
    try {
      ServiceLoader.load(BeamlinePlugin.class).forEach(plugins::add);
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("a plugin on the class path cannot be loaded: " + e.getMessage(), e);
    }
    return new PluginRegistry(plugins);
  }

  /** A registry of exactly these plugins (for tests). */
  public static PluginRegistry of(List<BeamlinePlugin> plugins) {
    return new PluginRegistry(plugins);
  }

  private void register(BeamlinePlugin plugin, String module, List<? extends StageFactory> factories, StageKind kind) {
    for (StageFactory f : factories) {
      String id = f.id();
      if (id == null || !ID.matcher(id).matches()) {
        throw new IllegalStateException("plugin " + plugin.getClass().getName() + " provides a " + kind.label()
            + " with identifier '" + id + "'; identifiers are lowercase letters, digits and dashes, starting with a letter");
      }
      if (f.kind() != kind) {
        throw new IllegalStateException("plugin " + plugin.getClass().getName() + " lists " + f.getClass().getName()
            + " among its " + kind.label() + "s, but it says it is a " + f.kind().label());
      }
      Registered previous = stages.get(kind).get(id);
      if (previous != null) {
        throw new IllegalStateException("two plugins provide the " + kind.label() + " '" + id + "': "
            + previous.plugin() + " (" + previous.module() + ") and " + plugin.getClass().getName() + " (" + module
            + "); remove one from the class path");
      }
      stages.get(kind).put(id, new Registered(f, plugin.getClass().getName(), module));
    }
  }

  private static String moduleOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null) {
      return "unknown";
    }
    String path = location.getPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.endsWith("/target/classes") || path.endsWith("/target/test-classes")) {
      String[] parts = path.split("/");
      return parts[parts.length - 3];
    }
    return path.substring(path.lastIndexOf('/') + 1).replaceFirst("-\\d[^/]*\\.jar$", "").replaceFirst("\\.jar$", "");
  }

  /** Every registered stage, by kind then identifier. */
  public List<Registered> all() {
    List<Registered> out = new ArrayList<>();
    stages.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /** Whether a stage of that kind and identifier is installed. */
  public boolean has(StageKind kind, String id) {
    return stages.get(kind).containsKey(id);
  }

  /** The stage of that kind and identifier; the error lists the installed ones. */
  public Registered find(StageKind kind, String id, String where) {
    Registered r = stages.get(kind).get(id);
    if (r == null) {
      throw new ConfigException(where + ": no " + kind.label() + " '" + id + "' is installed; installed "
          + kind.label() + "s: " + (stages.get(kind).isEmpty() ? "none" : String.join(", ", stages.get(kind).keySet())));
    }
    return r;
  }

  /** The source factory of that identifier. */
  public SourceFactory source(String id, String where) {
    return (SourceFactory) find(StageKind.SOURCE, id, where).factory();
  }

  /** The feature factory of that identifier. */
  public FeatureFactory feature(String id, String where) {
    return (FeatureFactory) find(StageKind.FEATURE, id, where).factory();
  }

  /** The trainer factory of that identifier. */
  public TrainerFactory trainer(String id, String where) {
    return (TrainerFactory) find(StageKind.TRAINER, id, where).factory();
  }

  /** The evaluator factory of that identifier. */
  public EvaluatorFactory evaluator(String id, String where) {
    return (EvaluatorFactory) find(StageKind.EVALUATOR, id, where).factory();
  }

  /** The tracker factory of that identifier. */
  public dev.beamline.spi.tracking.TrackerFactory tracker(String id, String where) {
    return (dev.beamline.spi.tracking.TrackerFactory) find(StageKind.TRACKER, id, where).factory();
  }

  /** One line: how many stages of each kind. */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    for (StageKind kind : StageKind.values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(kind.label()).append("s ").append(stages.get(kind).keySet());
    }
    return sb.toString();
  }
}
