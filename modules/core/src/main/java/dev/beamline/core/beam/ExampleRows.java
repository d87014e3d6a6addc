package dev.beamline.core.beam;

import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.TrainingRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Example blocks as a trainer's rows, ordered by row id and handed over block by block, so that training holds no
 * whole copy of them. A block's rows are a run of ids in order (a block is rows of one parse block that fell in one
 * split), and blocks do not interleave, so the blocks ordered by their first ids are the rows ordered by id: this is
 * checked from the handles' ids before any block is read. Blocks that do interleave (or repeat an id) are joined
 * into one matrix by id instead ({@link Matrices#byId}), which orders them all the same (or names the repeated id).
 */
final class ExampleRows implements TrainingRows {
  private final List<ExampleFile> files;
  private final int rows;
  private final int width;
  private final List<String> names;
  private final boolean weighted;
  /** Whether the blocks, in the order of {@link #files}, hold their rows in ascending id order. */
  private final boolean inOrder;
  /** The rows joined by id, once asked for (blocks out of order are always read this way). */
  private FeatureMatrix joined;

  private ExampleRows(List<ExampleFile> files, int width, List<String> names, boolean weighted) {
    List<ExampleFile> sorted = new ArrayList<>();
    int n = 0;
    for (ExampleFile f : files) {
      if (f.rows() > 0) {
        sorted.add(f);
        n += f.rows();
      }
    }
    sorted.sort(Comparator.comparingLong(f -> f.ids()[0]));
    this.files = List.copyOf(sorted);
    this.rows = n;
    this.width = width;
    this.names = List.copyOf(names);
    this.weighted = weighted;
    this.inOrder = ascending(this.files);
  }

  /** The rows of {@code files} (empty ones are passed over), whose blocks have {@code width} features. */
  static ExampleRows of(List<ExampleFile> files, int width, List<String> names, boolean weighted) {
    return new ExampleRows(files, width, names, weighted);
  }

  /** Whether every id of the blocks, taken in order, is larger than the one before. */
  private static boolean ascending(List<ExampleFile> files) {
    boolean first = true;
    long last = 0;
    for (ExampleFile f : files) {
      for (long id : f.ids()) {
        if (!first && id <= last) {
          return false;
        }
        first = false;
        last = id;
      }
    }
    return true;
  }

  /** Whether the rows are handed over block by block (else as one matrix joined by id). */
  boolean byBlock() {
    return inOrder;
  }

  @Override
  public int rows() {
    return rows;
  }

  @Override
  public int columns() {
    return width;
  }

  @Override
  public List<String> featureNames() {
    return names;
  }

  @Override
  public boolean isSparse() {
    return false;
  }

  @Override
  public boolean weighted() {
    return weighted;
  }

  @Override
  public Iterator<FeatureMatrix> parts() {
    if (!inOrder) {
      return List.of(joined()).iterator();
    }
    Iterator<ExampleFile> blocks = files.iterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return blocks.hasNext();
      }

      @Override
      public FeatureMatrix next() {
        ExampleFile f = blocks.next();
        try {
          ExampleBlock b = f.read();
          if (b.width() != width) {
            throw new IllegalStateException("example block " + f.path() + " has " + b.width() + " features, expected " + width);
          }
          return Matrices.of(b, names, weighted);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  @Override
  public FeatureMatrix matrix() throws IOException {
    if (inOrder && files.size() == 1) {
      return parts().next();
    }
    return joined();
  }

  private FeatureMatrix joined() {
    if (joined == null) {
      try {
        joined = Matrices.byId(files, width, names, weighted);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return joined;
  }
}
