package dev.beamline.core.beam;

import dev.beamline.spi.data.Rejected;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;

/**
 * Writes every stage's rejected rows to {@code rejected/} in the staging directory, as JSON lines with
 * source, file, line, reason and raw text, counting them per source (the error budget reads the counts).
 */
public final class DeadLetters extends PTransform<PCollectionList<Rejected>, PDone> {
  private static final long serialVersionUID = 1L;
  private final String staging;

  /** @param staging the staging directory */
  public DeadLetters(String staging) {
    this.staging = staging;
  }

  @Override
  public PDone expand(PCollectionList<Rejected> rejected) {
    return rejected.apply("All rejected", Flatten.pCollections())
        .apply("Rejected as JSON", ParDo.of(new WriteFns.RejectedToJson())).setCoder(StringUtf8Coder.of())
        .apply("Write rejected", TextIO.write().to(staging + "/rejected/rejected").withSuffix(".jsonl").withNumShards(1));
  }
}
