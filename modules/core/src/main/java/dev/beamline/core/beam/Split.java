package dev.beamline.core.beam;

import java.util.Locale;

/** The splits a row can fall in. */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST;

  /** The split's name in files and metrics: train, validation, test. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
