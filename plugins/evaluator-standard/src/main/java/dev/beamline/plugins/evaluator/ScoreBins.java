package dev.beamline.plugins.evaluator;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Weighted negative and positive counts per score bin (of {@code bins}), sparse while few bins are used and
 * dense once many are: an accumulator that has seen a few hundred rows (a slice, a bootstrap replicate, one
 * bundle's share) takes kilobytes, not the megabyte of the whole histogram. Serialized as its used bins only.
 */
final class ScoreBins implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int INITIAL = 64;

  private final int bins;
  /** Dense counts once many bins are used; null while sparse. */
  private transient double[] denseNegative;
  private transient double[] densePositive;
  /** Sparse: open addressing on bin + 1 (0 = empty slot). */
  private transient int[] keys;
  private transient double[] negative;
  private transient double[] positive;
  private transient int used;

  ScoreBins(int bins) {
    this.bins = bins;
    clear(INITIAL);
  }

  private void clear(int capacity) {
    keys = new int[capacity];
    negative = new double[capacity];
    positive = new double[capacity];
    used = 0;
  }

  /** Adds {@code weight} to bin {@code bin}'s positive or negative count. */
  void add(int bin, boolean isPositive, double weight) {
    add(bin, isPositive ? 0 : weight, isPositive ? weight : 0);
  }

  private void add(int bin, double negativeWeight, double positiveWeight) {
    if (denseNegative != null) {
      denseNegative[bin] += negativeWeight;
      densePositive[bin] += positiveWeight;
      return;
    }
    int slot = slot(bin);
    if (keys[slot] == 0) {
      if (used + 1 > keys.length / 2) {
        grow();
        add(bin, negativeWeight, positiveWeight);
        return;
      }
      keys[slot] = bin + 1;
      used++;
    }
    negative[slot] += negativeWeight;
    positive[slot] += positiveWeight;
  }

  private int slot(int bin) {
    int mask = keys.length - 1;
    int s = (bin * 0x9E3779B1) >>> 16 & mask;
    while (keys[s] != 0 && keys[s] != bin + 1) {
      s = (s + 1) & mask;
    }
    return s;
  }

  /** Doubles the table, or turns dense once a dense histogram would be no bigger. */
  private void grow() {
    int[] oldKeys = keys;
    double[] oldNegative = negative;
    double[] oldPositive = positive;
    if (oldKeys.length * 2 >= bins / 2) {
      denseNegative = new double[bins];
      densePositive = new double[bins];
      keys = null;
      negative = null;
      positive = null;
    } else {
      clear(oldKeys.length * 2);
    }
    for (int s = 0; s < oldKeys.length; s++) {
      if (oldKeys[s] != 0) {
        add(oldKeys[s] - 1, oldNegative[s], oldPositive[s]);
      }
    }
  }

  /** Adds every count of {@code other}. */
  void addAll(ScoreBins other) {
    other.forEachUsed((bin, n, p) -> add(bin, n, p));
  }

  /** A bin's counts. */
  interface BinVisitor {
    void visit(int bin, double negative, double positive);
  }

  /** Visits every bin with a count, in no particular order. */
  void forEachUsed(BinVisitor visitor) {
    if (denseNegative != null) {
      for (int i = 0; i < bins; i++) {
        if (denseNegative[i] != 0 || densePositive[i] != 0) {
          visitor.visit(i, denseNegative[i], densePositive[i]);
        }
      }
      return;
    }
    for (int s = 0; s < keys.length; s++) {
      if (keys[s] != 0) {
        visitor.visit(keys[s] - 1, negative[s], positive[s]);
      }
    }
  }

  /** Visits every bin with a count from the highest bin down. */
  void forEachDescending(BinVisitor visitor) {
    if (denseNegative != null) {
      for (int i = bins - 1; i >= 0; i--) {
        if (denseNegative[i] != 0 || densePositive[i] != 0) {
          visitor.visit(i, denseNegative[i], densePositive[i]);
        }
      }
      return;
    }
    long[] order = new long[used];
    int k = 0;
    for (int s = 0; s < keys.length; s++) {
      if (keys[s] != 0) {
        order[k++] = (long) keys[s] << 32 | s;
      }
    }
    Arrays.sort(order);
    for (int i = order.length - 1; i >= 0; i--) {
      int s = (int) order[i];
      visitor.visit(keys[s] - 1, negative[s], positive[s]);
    }
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    int[] count = {0};
    forEachUsed((bin, n, p) -> count[0]++);
    out.writeInt(count[0]);
    IOException[] failed = {null};
    forEachUsed((bin, n, p) -> {
      try {
        out.writeInt(bin);
        out.writeDouble(n);
        out.writeDouble(p);
      } catch (IOException e) {
        failed[0] = e;
      }
    });
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    clear(INITIAL);
    int count = in.readInt();
    for (int k = 0; k < count; k++) {
      add(in.readInt(), in.readDouble(), in.readDouble());
    }
  }
}
