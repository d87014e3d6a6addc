package dev.beamline.core.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.util.ReleaseInfo;

/** Versions recorded in every run's provenance. */
public final class Versions {
  private Versions() {}

  /** Beamline's version (the core jar's Implementation-Version, or {@code dev} when run from classes). */
  public static String beamline() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** Beamline, Beam and Java versions. */
  public static Map<String, Object> all() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("beamline", beamline());
    v.put("beam", ReleaseInfo.getReleaseInfo().getVersion());
    v.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    return v;
  }
}
