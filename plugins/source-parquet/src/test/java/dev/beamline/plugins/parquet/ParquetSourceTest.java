package dev.beamline.plugins.parquet;

/** The parquet source against the test kit's contract. */
class ParquetSourceTest extends FormatSourceContract {
  @Override
  Format format() {
    return Format.PARQUET;
  }
}
