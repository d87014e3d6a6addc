package dev.beamline.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.core.beam.TrainingGroup;
import dev.beamline.core.plan.RunPlan;
import dev.beamline.core.plugin.PluginRegistry;
import dev.beamline.core.spec.PipelineSpec.WorkersSpec;
import dev.beamline.spi.config.ConfigException;
import dev.beamline.spi.model.Collective;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code trainer.workers} made real for one run: how many workers the runner can run at once, checked before the
 * pipeline starts; the trainer's tracker, started in this process for the run's length; and the
 * {@link TrainingGroup} the pipeline trains with. When the runner cannot run every worker at once the run fails
 * with exit 2 naming the numbers, or (with {@code workersUnavailable: single}) trains on one worker with a warning.
 */
public final class TrainingWorkers {
  /** One worker: no tracker, no group. */
  private static final TrainingWorkers ONE = new TrainingWorkers(null, null, null);

  private final WorkersSpec spec;
  private final Collective collective;
  private final Placement placement;

  private TrainingWorkers(WorkersSpec spec, Collective collective, Placement placement) {
    this.spec = spec;
    this.collective = collective;
    this.placement = placement;
  }

  /** How many workers, and where the runner puts them. */
  record Placement(int workers, int parallelism, String trackerHost) {}

  /**
   * Resolves the plan's workers against the runner (the DirectRunner's threads raised to fit them unless given), before
   * the run starts: a runner that cannot run them all at once stops it here with the numbers, or leaves one worker.
   */
  public static TrainingWorkers resolve(RunPlan plan, PluginRegistry registry, PipelineOptions options, List<String> args,
      PrintStream console) {
    WorkersSpec spec = plan.spec().workers();
    if (!spec.several()) {
      return ONE;
    }
    String at = plan.spec().document().at("trainer.workers") + ": trainer.workers";
    Optional<Collective> collective = registry.trainer(plan.trainer().id(), "trainer.type").collective();
    if (collective.isEmpty()) {
      if (spec.workers() == 0) {
        return ONE; // auto: as many as the trainer can use
      }
      throw new ConfigException(at + ": the " + plan.trainer().id() + " trainer trains on one worker; remove workers or set 1");
    }
    Placement placement;
    try {
      placement = place(spec, options, args);
    } catch (Unavailable e) {
      if (!spec.fallBack()) {
        throw new ConfigException(at + ": " + e.getMessage() + "; or set trainer.workersUnavailable: single to train on one worker");
      }
      console.printf("warning: trainer.workers: %s; training on one worker (trainer.workersUnavailable: single)%n", e.getMessage());
      return ONE;
    }
    return placement.workers() < 2 ? ONE : new TrainingWorkers(spec, collective.get(), placement);
  }

  /** Starts the tracker, for as long as the returned group is open (one worker: nothing to start). */
  public Running start(PrintStream console) throws Exception {
    if (placement == null) {
      return new Running(null, null);
    }
    Collective.Tracker tracker = collective.startTracker(placement.workers(),
        spec.trackerHost() != null ? spec.trackerHost() : placement.trackerHost(), spec.trackerPort());
    console.printf("training on %d workers together; the tracker listens at %s%n", placement.workers(), tracker.address());
    return new Running(new TrainingGroup(placement.workers(), TrainingGroup.keysFor(placement.workers(), placement.parallelism()),
        tracker.workerArgs(), tracker.address(), spec.timeoutSeconds()), tracker);
  }

  /**
   * The group a run trains with while its tracker runs.
   *
   * @param group the group the pipeline trains with, or null for one worker
   * @param tracker the tracker, or null
   */
  public record Running(TrainingGroup group, Collective.Tracker tracker) implements AutoCloseable {
    /** Stops the tracker, if there is one. */
    @Override
    public void close() {
      if (tracker != null) {
        tracker.close();
      }
    }
  }

  /** The runner cannot run the workers at once: why, with the numbers. */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  /** How many workers run where, or why they cannot all run at once. */
  static Placement place(WorkersSpec spec, PipelineOptions options, List<String> args) throws Unavailable {
    String runner = options.getRunner().getSimpleName();
    if (options.getRunner() == DirectRunner.class) {
      DirectOptions direct = options.as(DirectOptions.class);
      int workers = spec.workers() == 0 ? Runtime.getRuntime().availableProcessors() : spec.workers();
      // The DirectRunner's scheduling loop takes one of its threads (PipelineExecution.options): each worker needs another.
      int needed = workers + 1;
      if (PipelineExecution.option(args, "targetParallelism") != null && direct.getTargetParallelism() < needed) {
        throw new Unavailable(workers + " workers need the DirectRunner to run " + needed + " tasks at once (one is its scheduler), and "
            + "--targetParallelism=" + direct.getTargetParallelism() + " allows " + direct.getTargetParallelism()
            + "; give --targetParallelism=" + needed);
      }
      direct.setTargetParallelism(Math.max(direct.getTargetParallelism(), needed));
      return new Placement(workers, 0, "127.0.0.1");
    }
    if (!runner.equals("FlinkRunner")) {
      throw new Unavailable("training on several workers needs the DirectRunner or the FlinkRunner, not the " + runner);
    }
    String master = PipelineExecution.submitsToCluster(args) ? PipelineExecution.option(args, "flinkMaster") : null;
    String parallelismGiven = PipelineExecution.option(args, "parallelism");
    int parallelism = parallelismGiven != null ? Integer.parseInt(parallelismGiven)
        : master == null ? Runtime.getRuntime().availableProcessors() : 1; // Beam's defaults: the cores here; on a cluster 1
    int workers = spec.workers() == 0 ? parallelism : spec.workers();
    if (workers > parallelism) {
      throw new Unavailable(workers + " workers need a task each at once, and the Flink job's parallelism is " + parallelism
          + (parallelismGiven == null ? " (the default" + (master == null ? ": this machine's cores)" : " on a cluster)") : "")
          + "; give --parallelism=" + workers + " or more");
    }
    if (master == null) {
      return new Placement(workers, parallelism, "127.0.0.1");
    }
    int free = freeSlots(master);
    if (free < parallelism) {
      throw new Unavailable(workers + " workers need the job's " + parallelism + " tasks (--parallelism) running at once, and the Flink "
          + "cluster at " + master + " has " + free + " free task slots; start more TaskManagers, or lower --parallelism (to "
          + workers + " at the least)");
    }
    return new Placement(workers, parallelism, localAddressTowards(master));
  }

  /** The cluster's free task slots, from its JobManager's REST API ({@code /overview}). */
  static int freeSlots(String master) throws Unavailable {
    URI overview = URI.create("http://" + master + "/overview");
    try {
      HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(HttpRequest.newBuilder(overview).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = new ObjectMapper().readTree(r.body());
      if (r.statusCode() != 200 || !json.has("slots-available")) {
        throw new Unavailable("the Flink cluster's " + overview + " answered " + r.statusCode() + " without its free slots");
      }
      return json.get("slots-available").asInt();
    } catch (java.io.IOException e) {
      throw new Unavailable("cannot ask the Flink cluster at " + master + " for its free task slots (" + overview + "): " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while asking the Flink cluster at " + master + " for its free task slots");
    }
  }

  /** This machine's address on the route to {@code master}: the address its TaskManagers reach the tracker at. */
  static String localAddressTowards(String master) {
    String host = master.substring(0, master.lastIndexOf(':'));
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(InetAddress.getByName(host), 9); // no packet is sent: connecting a datagram socket only picks the route
      return probe.getLocalAddress().getHostAddress();
    } catch (java.io.IOException e) {
      throw new ConfigException("trainer.trackerHost: cannot tell this machine's address towards the Flink cluster at " + master
          + " (" + e.getMessage() + "); give the address the TaskManagers reach this machine at");
    }
  }
}
