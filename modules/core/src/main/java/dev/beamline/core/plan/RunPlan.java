package dev.beamline.core.plan;

import dev.beamline.core.spec.PipelineSpec;
import dev.beamline.features.LabelSpec;
import dev.beamline.spi.SourceStage;
import dev.beamline.spi.config.StageConfig;
import dev.beamline.spi.data.Schema;
import dev.beamline.spi.feature.ValueType;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A pipeline spec resolved against the installed plugins and the data's schema: every stage found,
 * every configuration validated, every column checked. What {@code beamline validate} checks and what
 * {@code beamline run} turns into a Beam pipeline.
 *
 * @param spec the spec
 * @param sources the sources in order (their position is their ordinal)
 * @param schema the schema (declared or inferred)
 * @param schemaInferred whether the schema was inferred
 * @param label how the label is read (for multi-class text labels without declared classes, the classes are fitted)
 * @param fitLabelClasses whether the classes are fitted from the training split
 * @param weightColumn the weight column or {@code null}
 * @param features the feature chains
 * @param trainer the trainer's identifier and configuration
 * @param evaluator the evaluator's identifier and configuration
 * @param tracker the tracker's identifier and configuration, or {@code null} when none is installed
 * @param tuning the search over the trainer's settings, or {@code null} for one training with the settings given
 */
public record RunPlan(
    PipelineSpec spec,
    List<PlannedSource> sources,
    Schema schema,
    boolean schemaInferred,
    LabelSpec label,
    boolean fitLabelClasses,
    String weightColumn,
    List<ColumnPlan> features,
    PlannedStage trainer,
    PlannedStage evaluator,
    PlannedStage tracker,
    TuningPlan tuning) {

  /** A source: its name, plugin, the configured stage and its error budget. */
  public record PlannedSource(String name, String type, SourceStage stage, double maxRejectedFraction,
      Map<String, Object> displayConfig) implements Serializable {}

  /** A stage's identifier and validated configuration. */
  public record PlannedStage(String id, StageConfig config) implements Serializable {}

  /** One step of a column's chain. */
  public record PlannedStep(String id, StageConfig config, ValueType input, ValueType output, boolean stateful)
      implements Serializable {}

  /** A feature column and its steps. */
  public record ColumnPlan(String column, ValueType input, List<PlannedStep> steps) implements Serializable {}

  /** The names of the sources, by ordinal. */
  public List<String> sourceNames() {
    return sources.stream().map(PlannedSource::name).toList();
  }
}
