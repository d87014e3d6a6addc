package dev.beamline.core.beam;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Gathers every element into one group, so that one worker sees them all: the trainer's rows, and the single
 * writer of the predictions and of the metrics. The elements are few (handles and blocks, not rows).
 *
 * @param <T> the elements
 */
final class OneWorker<T> extends PTransform<PCollection<T>, PCollection<KV<Integer, Iterable<T>>>> {
  private static final long serialVersionUID = 1L;
  private final Coder<T> coder;

  private OneWorker(Coder<T> coder) {
    this.coder = coder;
  }

  /** Gathers elements encoded by {@code coder}. */
  static <T> OneWorker<T> of(Coder<T> coder) {
    return new OneWorker<>(coder);
  }

  @Override
  public PCollection<KV<Integer, Iterable<T>>> expand(PCollection<T> items) {
    return items.apply("One key", WithKeys.<Integer, T>of(0)).setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("Group", GroupByKey.create());
  }
}
