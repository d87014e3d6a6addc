package dev.beamline.core.beam;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Gathers every element into one group, so that one worker sees them all: the trainer's rows, and the single
 * writer of the predictions and of the metrics. The elements are few (handles and blocks, not rows).
 *
 * @param <T> the elements
 */
final class OneWorker<T> extends PTransform<PCollection<T>, PCollection<KV<Integer, Iterable<T>>>> {
  private static final long serialVersionUID = 1L;
  private final Coder<T> coder;
  /** An element added to the input so that the group exists even when the input is empty; null for none. */
  private final T sentinel;

  private OneWorker(Coder<T> coder, T sentinel) {
    this.coder = coder;
    this.sentinel = sentinel;
  }

  /** Gathers elements encoded by {@code coder}; an empty input makes no group. */
  static <T> OneWorker<T> of(Coder<T> coder) {
    return new OneWorker<>(coder, null);
  }

  /**
   * Gathers elements encoded by {@code coder} with {@code sentinel} among them, so that the one worker runs
   * even when there is nothing else (to write an empty file, or to report an empty split); the worker skips it.
   */
  static <T> OneWorker<T> withSentinel(Coder<T> coder, T sentinel) {
    return new OneWorker<>(coder, java.util.Objects.requireNonNull(sentinel, "sentinel"));
  }

  @Override
  public PCollection<KV<Integer, Iterable<T>>> expand(PCollection<T> items) {
    PCollection<T> all = sentinel == null ? items
        : PCollectionList.of(items).and(items.getPipeline().apply("Sentinel", Create.of(sentinel).withCoder(coder)))
            .apply("With sentinel", Flatten.pCollections());
    return all.apply("One key", WithKeys.<Integer, T>of(0)).setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("Group", GroupByKey.create());
  }
}
