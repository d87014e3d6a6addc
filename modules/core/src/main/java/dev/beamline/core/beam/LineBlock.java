package dev.beamline.core.beam;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Output lines of one block of rows with their row ids, sorted by id: what travels to the single writer of
 * an output file, one element a block (a runner's per-element costs are paid a few hundred times for a
 * million rows, not a million times). Immutable.
 */
final class LineBlock implements Serializable {
  private static final long serialVersionUID = 1L;
  /** How blocks travel between workers. */
  static final org.apache.beam.sdk.coders.SerializableCoder<LineBlock> CODER = org.apache.beam.sdk.coders.SerializableCoder.of(LineBlock.class);
  private final long[] ids;
  private final String[] lines;

  /** @param ids row ids; {@code lines} the line of each; sorted here by id */
  LineBlock(long[] ids, String[] lines) {
    if (ids.length != lines.length) {
      throw new IllegalArgumentException(ids.length + " ids for " + lines.length + " lines");
    }
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    this.ids = new long[ids.length];
    this.lines = new String[lines.length];
    for (int i = 0; i < order.length; i++) {
      this.ids[i] = ids[order[i]];
      this.lines[i] = lines[order[i]];
    }
  }

  int size() {
    return ids.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LineBlock b && java.util.Arrays.equals(ids, b.ids) && java.util.Arrays.equals(lines, b.lines);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(ids);
  }

  /** Every line of every block, in row id order (a k-way merge of the sorted blocks). */
  static Iterator<String> merged(Iterable<LineBlock> blocks) {
    List<LineBlock> all = new ArrayList<>();
    blocks.forEach(b -> {
      if (b.size() > 0) {
        all.add(b);
      }
    });
    int[] at = new int[all.size()];
    PriorityQueue<Integer> heads = new PriorityQueue<>((a, b) -> Long.compare(all.get(a).ids[at[a]], all.get(b).ids[at[b]]));
    for (int i = 0; i < all.size(); i++) {
      heads.add(i);
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !heads.isEmpty();
      }

      @Override
      public String next() {
        Integer b = heads.poll();
        if (b == null) {
          throw new NoSuchElementException();
        }
        String line = all.get(b).lines[at[b]++];
        if (at[b] < all.get(b).size()) {
          heads.add(b);
        }
        return line;
      }
    };
  }
}
