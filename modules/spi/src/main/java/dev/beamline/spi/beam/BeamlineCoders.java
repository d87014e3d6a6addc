package dev.beamline.spi.beam;

import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Rejected;
import dev.beamline.spi.data.Scored;
import java.util.List;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviderRegistrar;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Registers the coders of Beamline's data types with every Beam pipeline (Beam finds this registrar
 * through {@link java.util.ServiceLoader}), so that plugins need not set coders by hand.
 */
public final class BeamlineCoders implements CoderProviderRegistrar {
  @Override
  public List<CoderProvider> getCoderProviders() {
    return List.of(
        CoderProviders.forCoder(TypeDescriptor.of(Record.class), RecordCoder.of()),
        CoderProviders.forCoder(TypeDescriptor.of(Rejected.class), RejectedCoder.of()),
        CoderProviders.forCoder(TypeDescriptor.of(Scored.class), ScoredCoder.of()));
  }
}
