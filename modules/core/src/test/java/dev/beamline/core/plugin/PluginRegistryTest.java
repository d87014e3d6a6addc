package dev.beamline.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.EvaluatorFactory;
import dev.beamline.spi.StageKind;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.config.ConfigSpec;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.data.Scored;
import dev.beamline.spi.model.Task;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {
  /** A hand-written evaluator stage; it is never run. */
  record Eval(String id) implements EvaluatorFactory {
    @Override
    public String description() {
      return "test evaluator " + id;
    }

    @Override
    public ConfigSpec configSpec() {
      return ConfigSpec.of();
    }

    @Override
    public Combine.CombineFn<Scored, ?, Map<String, Double>> create(StageConfig config, Task task) {
      throw new UnsupportedOperationException();
    }
  }

  static final class PluginA implements BeamlinePlugin {
    @Override
    public List<EvaluatorFactory> evaluators() {
      return List.of(new Eval("zeta"), new Eval("alpha"));
    }
  }

  static final class PluginB implements BeamlinePlugin {
    @Override
    public List<EvaluatorFactory> evaluators() {
      return List.of(new Eval("alpha"));
    }
  }

  static final class BadId implements BeamlinePlugin {
    @Override
    public List<EvaluatorFactory> evaluators() {
      return List.of(new Eval("Not_OK"));
    }
  }

  @Test
  void ordersStagesByKindAndIdentifier() {
    PluginRegistry r = PluginRegistry.of(List.of(new PluginA()));
    assertEquals(List.of("alpha", "zeta"), r.all().stream().map(x -> x.factory().id()).toList());
  }

  @Test
  void rejectsDuplicateIdentifiersNamingBothPlugins() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PluginRegistry.of(List.of(new PluginB(), new PluginA())));
    assertTrue(e.getMessage().contains("'alpha'") && e.getMessage().contains("PluginA") && e.getMessage().contains("PluginB"),
        e.getMessage());
  }

  @Test
  void rejectsMalformedIdentifiers() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> PluginRegistry.of(List.of(new BadId())));
    assertTrue(e.getMessage().contains("'Not_OK'"), e.getMessage());
  }

  @Test
  void unknownStageListsTheInstalledOnes() {
    PluginRegistry r = PluginRegistry.of(List.of(new PluginA()));
    ConfigException e = assertThrows(ConfigException.class, () -> r.find(StageKind.EVALUATOR, "gamma", "p.yaml:9: evaluator.type"));
    assertEquals("p.yaml:9: evaluator.type: no evaluator 'gamma' is installed; installed evaluators: alpha, zeta", e.getMessage());
    e = assertThrows(ConfigException.class, () -> r.find(StageKind.TRAINER, "xgboost", "t"));
    assertTrue(e.getMessage().endsWith("installed trainers: none"), e.getMessage());
  }
}
