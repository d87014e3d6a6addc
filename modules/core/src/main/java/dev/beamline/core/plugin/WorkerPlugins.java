package dev.beamline.core.plugin;

import dev.beamline.features.StepResolver;
import dev.beamline.features.steps.StandardSteps;
import dev.beamline.spi.feature.FittedStepFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The plugins as a worker JVM sees them: DoFns look their stages up here by identifier, so a stage missing
 * from a worker's class path is a clear error naming it, not a silent empty pipeline.
 */
public final class WorkerPlugins {
  private static volatile PluginRegistry registry;
  private static volatile StepResolver resolver;

  private WorkerPlugins() {}

  /** The plugins on this JVM's class path, discovered once. */
  public static PluginRegistry registry() {
    PluginRegistry r = registry;
    if (r == null) {
      synchronized (WorkerPlugins.class) {
        if (registry == null) {
          registry = PluginRegistry.discover();
        }
        r = registry;
      }
    }
    return r;
  }

  /**
   * Where a worker looks a stage up, for messages: a stage missing on a worker is missing from the job
   * jar (or class path) the runner gave it, which the message says.
   */
  public static String where(String what) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "unknown";
    }
    return what + " (on worker " + host + ", PID " + ProcessHandle.current().pid()
        + "; a stage missing here is missing from the job jar or class path the runner staged)";
  }

  /** Restorers of every feature step type this JVM knows. */
  public static StepResolver steps() {
    StepResolver s = resolver;
    if (s == null) {
      List<FittedStepFactory> all = new ArrayList<>();
      registry().all().forEach(r -> {
        if (r.factory() instanceof FittedStepFactory f) {
          all.add(f);
        }
      });
      all.addAll(StandardSteps.all());
      java.util.ServiceLoader.load(FittedStepFactory.class).forEach(all::add);
      s = StepResolver.of(all);
      resolver = s;
    }
    return s;
  }
}
