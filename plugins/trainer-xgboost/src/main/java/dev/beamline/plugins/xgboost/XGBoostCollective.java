package dev.beamline.plugins.xgboost;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beamline.spi.model.Collective;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;

/**
 * XGBoost's collective: the tracker (XGBoost's own, in the launcher) and a worker's membership of the group. The
 * tracker gives ranks by task id, and each worker's task id is its partition, so that partition {@code p} is rank
 * {@code p} in every run: the order in which the partial sums are added up, and so the model, does not depend on
 * which worker reached the tracker first.
 */
final class XGBoostCollective implements Collective {
  /** XGBoost's tracker option: rank workers by their task ids ({@code sortby: task}). */
  private static final int SORT_BY_TASK = 1;

  @Override
  public Tracker startTracker(int workers, String host, int port) throws XGBoostError {
    long[] out = new long[1];
    // No timeout of its own: a tracker's timeout runs from its start, and the workers come only when the rows are
    // ready, minutes later; each worker bounds its own wait instead (Member.timeoutSeconds).
    check(XGBoostJNI.TrackerCreate(host, workers, port, SORT_BY_TASK, 0, out));
    long handle = out[0];
    try {
      check(XGBoostJNI.TrackerRun(handle));
      String[] args = new String[1];
      check(XGBoostJNI.TrackerWorkerArgs(handle, 0, args));
      Map<String, Object> parsed = new ObjectMapper().readValue(args[0], new TypeReference<Map<String, Object>>() {});
      Map<String, String> workerArgs = new LinkedHashMap<>();
      parsed.forEach((k, v) -> workerArgs.put(k, String.valueOf(v)));
      String address = workerArgs.get("dmlc_tracker_uri") + ":" + workerArgs.get("dmlc_tracker_port");
      return new RunningTracker(handle, address, Map.copyOf(workerArgs));
    } catch (XGBoostError | RuntimeException | java.io.IOException e) {
      XGBoostJNI.TrackerFree(handle);
      throw e instanceof XGBoostError x ? x : new XGBoostError("cannot start XGBoost's tracker on " + host + ":" + port + ": " + e.getMessage());
    }
  }

  private record RunningTracker(long handle, String address, Map<String, String> workerArgs) implements Tracker {
    @Override
    public void close() {
      XGBoostJNI.TrackerWaitFor(handle, 1); // the workers are done (or gone): this returns at once or within a second
      XGBoostJNI.TrackerFree(handle);
    }
  }

  /**
   * Joins the group as {@code member}, runs {@code training}, and leaves the group whatever happens. A worker that
   * cannot reach the tracker or its peers fails within the member's timeout, naming the tracker.
   */
  static <T> T asMember(Collective.Member member, Training<T> training) throws Exception {
    Map<String, Object> args = new LinkedHashMap<>();
    member.tracker().forEach((k, v) -> args.put(k, v.matches("-?\\d{1,9}") ? (Object) Integer.valueOf(v) : v)); // the port is a number
    args.put("dmlc_task_id", String.format("%06d", member.rank())); // sorted as text: padded, so that 10 comes after 9
    args.put("dmlc_timeout", member.timeoutSeconds());
    try {
      Communicator.init(args);
    } catch (XGBoostError e) {
      throw new java.io.IOException("worker " + member.rank() + " of " + member.workers() + " could not join the training group at "
          + "XGBoost's tracker " + member.address() + " within " + member.timeoutSeconds() + " s (trainer.workerTimeoutSeconds): "
          + "every worker must run at once and reach the tracker and each other; " + firstLines(e.getMessage()), e);
    }
    try {
      int rank = Communicator.getRank();
      if (rank != member.rank() || Communicator.getWorldSize() != member.workers()) {
        throw new IllegalStateException("XGBoost's tracker made worker " + member.rank() + " of " + member.workers() + " rank "
            + rank + " of " + Communicator.getWorldSize());
      }
      return training.run();
    } catch (XGBoostError e) {
      if (PEER_LOST.matcher(String.valueOf(e.getMessage())).find()) {
        throw new java.io.IOException("worker " + member.rank() + " of " + member.workers() + " lost the training group: a peer stopped "
            + "answering (its task or its TaskManager failed?); " + firstLines(e.getMessage()), e);
      }
      throw e;
    } finally {
      Communicator.shutdown();
    }
  }

  /** XGBoost's words for a collective operation that failed because a peer went away. */
  private static final java.util.regex.Pattern PEER_LOST =
      java.util.regex.Pattern.compile("(?i)ring (allreduce|allgather|scatter|broadcast)|allreduce failed|allgather failed|broken pipe|connection reset");

  /** Work done as a member of the group. */
  interface Training<T> {
    T run() throws Exception;
  }

  /** XGBoost's messages carry a stack of causes, one per line; the first few say what went wrong. */
  static String firstLines(String message) {
    String[] lines = String.valueOf(message).split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < Math.min(4, lines.length); i++) {
      if (!lines[i].isBlank() && !lines[i].startsWith("Stack trace") && !lines[i].contains("[bt]")) {
        b.append(b.length() == 0 ? "" : " ").append(lines[i].trim());
      }
    }
    return b.toString();
  }

  private static void check(int rc) throws XGBoostError {
    if (rc != 0) {
      throw new XGBoostError(XGBoostJNI.XGBGetLastError());
    }
  }
}
