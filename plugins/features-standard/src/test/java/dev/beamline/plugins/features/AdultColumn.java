package dev.beamline.plugins.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A column of the real adult.data, for fitting on real values. */
final class AdultColumn {
  private static final Path ADULT = Path.of(System.getProperty("beamline.datasets", "../../../shared/datasets"), "adult", "adult.data");

  private AdultColumn() {}

  /** The values of column {@code index}: numbers as Double, '?' as missing. */
  static List<Object> values(int index, boolean numeric) {
    try {
      List<Object> out = new ArrayList<>();
      for (String line : Files.readAllLines(ADULT)) {
        String[] f = line.split(",\\s*");
        if (f.length < 15 || f[0].equals("age")) {
          continue;
        }
        String v = f[index].trim();
        out.add(numeric ? (Object) (v.equals("?") ? Double.NaN : Double.parseDouble(v)) : v.equals("?") ? null : v);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
