package dev.beamline.core.beam;

import java.util.Map;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * The evaluate stage: the evaluator plugin's partial accumulators are merged per {@link EvaluationKey} (split,
 * slice, bootstrap replicate: a combiner, so the figures do not depend on partitioning) and the metrics
 * written to {@code metrics.json} ({@link MetricsFile}).
 */
final class Evaluate extends PTransform<PCollection<KV<String, EvaluateFn.Acc>>, PDone> {
  private static final long serialVersionUID = 1L;
  private final Evaluation evaluation;
  private final String staging;

  Evaluate(Evaluation evaluation, String staging) {
    this.evaluation = evaluation;
    this.staging = staging;
  }

  @Override
  public PDone expand(PCollection<KV<String, EvaluateFn.Acc>> partials) {
    KvCoder<String, Map<String, Double>> metricsCoder = KvCoder.of(StringUtf8Coder.of(), MapCoder.of(StringUtf8Coder.of(), DoubleCoder.of()));
    PCollection<KV<String, Map<String, Double>>> metrics = partials
        .apply("Merge", Combine.<String, EvaluateFn.Acc, Map<String, Double>>perKey(new EvaluateFn(evaluation.evaluator())))
        .setCoder(metricsCoder);
    TrainingPipeline.markDone(metrics, "evaluate");
    metrics.apply("Gather metrics", OneWorker.of(metricsCoder))
        .apply("Write metrics", ParDo.of(new WriteFns.WriteMetrics(staging, evaluation)).withSideInputs(evaluation.sideInputs()));
    return PDone.in(partials.getPipeline());
  }
}
