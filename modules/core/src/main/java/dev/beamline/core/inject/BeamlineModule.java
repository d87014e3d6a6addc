package dev.beamline.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.beamline.core.plugin.PluginRegistry;
import java.time.Clock;

/**
 * The host's Guice wiring: the plugin registry (discovered once), the clock, and through constructor
 * injection the planner and the run service. Guice stays on the host side: plugins never see it.
 */
public final class BeamlineModule extends AbstractModule {
  @Override
  protected void configure() {
    bind(Clock.class).toInstance(Clock.systemUTC());
  }

  @Provides
  @Singleton
  PluginRegistry pluginRegistry() {
    return PluginRegistry.discover();
  }
}
