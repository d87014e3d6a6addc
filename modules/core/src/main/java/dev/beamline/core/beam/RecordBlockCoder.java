package dev.beamline.core.beam;

import dev.beamline.spi.beam.RecordCoder;
import dev.beamline.spi.data.Record;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.VarIntCoder;

/** Encodes a {@link RecordBlock} as a row count followed by each row in {@link RecordCoder}'s format. */
public final class RecordBlockCoder extends AtomicCoder<RecordBlock> {
  private static final long serialVersionUID = 1L;
  private static final RecordBlockCoder INSTANCE = new RecordBlockCoder();

  private RecordBlockCoder() {}

  /** The coder. */
  public static RecordBlockCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RecordBlock block, OutputStream out) throws IOException {
    if (block == null) {
      throw new CoderException("cannot encode a null RecordBlock");
    }
    VarIntCoder.of().encode(block.size(), out);
    for (Record r : block.rows()) {
      RecordCoder.of().encode(r, out);
    }
  }

  @Override
  public RecordBlock decode(InputStream in) throws IOException {
    int n = VarIntCoder.of().decode(in);
    if (n < 0) {
      throw new CoderException("corrupt RecordBlock: " + n + " rows");
    }
    List<Record> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(RecordCoder.of().decode(in));
    }
    return new RecordBlock(rows);
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean consistentWithEquals() {
    return true;
  }
}
