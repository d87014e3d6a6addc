package dev.beamline.plugins.evaluator;

import dev.beamline.spi.BeamlinePlugin;
import dev.beamline.spi.EvaluatorFactory;
import dev.beamline.testkit.EvaluatorContract;

/** The contract for the standard evaluator, one subclass per task. */
abstract class StandardEvaluatorContract extends EvaluatorContract {
  @Override
  protected BeamlinePlugin plugin() {
    return new StandardEvaluatorPlugin();
  }

  @Override
  protected EvaluatorFactory evaluator() {
    return new StandardEvaluatorPlugin();
  }
}
