package dev.beamline.plugins.parquet;

/** The avro source against the test kit's contract. */
class AvroSourceTest extends FormatSourceContract {
  @Override
  Format format() {
    return Format.AVRO;
  }
}
