package dev.beamline.serving;

import dev.beamline.scoring.Issue;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * The server's Prometheus metrics (text format at {@code GET /metrics}): requests by path and status, their
 * latency, rows scored, row problems by kind and outcome, the model being served, and model swaps.
 */
final class ServingMetrics {
  private static final Set<String> PATHS = Set.of("/invocations", "/ping", "/health", "/version", "/metrics");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests = Counter.builder().name("beamline_requests_total")
      .help("HTTP requests by path and status").labelNames("path", "status").register(registry);
  private final Histogram latency = Histogram.builder().name("beamline_request_duration_seconds")
      .help("time from the request's headers to its answer, by path").labelNames("path").classicOnly()
      .classicUpperBounds(0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5).register(registry);
  private final Counter rows = Counter.builder().name("beamline_rows_scored_total")
      .help("rows scored (given a prediction)").register(registry);
  private final Counter issues = Counter.builder().name("beamline_row_issues_total")
      .help("row problems by kind (missing_column, wrong_type, unseen_category, out_of_range) and outcome (scored, rejected)")
      .labelNames("problem", "outcome").register(registry);
  private final Counter rejectedRows = Counter.builder().name("beamline_rows_rejected_total")
      .help("rows rejected (their request answered 400)").register(registry);
  private final Gauge model = Gauge.builder().name("beamline_model_info")
      .help("the model being served: 1 for the current one").labelNames("model", "version", "run_id").register(registry);
  private final Counter swaps = Counter.builder().name("beamline_model_swaps_total")
      .help("times a new model version replaced the served one").register(registry);

  /** The data points of the usual answer, looked up once: the hot path does no label lookup. */
  private final io.prometheus.metrics.core.datapoints.CounterDataPoint invocationsOk = requests.labelValues("/invocations", "200");
  private final io.prometheus.metrics.core.datapoints.DistributionDataPoint invocationsLatency = latency.labelValues("/invocations");

  void request(String path, int status, double seconds) {
    if (status == 200 && path.equals("/invocations")) {
      invocationsOk.inc();
      invocationsLatency.observe(seconds);
      return;
    }
    String p = PATHS.contains(path) ? path : "other";
    requests.labelValues(p, String.valueOf(status)).inc();
    latency.labelValues(p).observe(seconds);
  }

  void scored(long count, List<Issue> found, long rejected) {
    rows.inc(count);
    rejectedRows.inc(rejected);
    for (Issue i : found) {
      issues.labelValues(i.problem().label(), i.rejected() ? "rejected" : "scored").inc();
    }
  }

  void serving(ModelHolder.Loaded previous, ModelHolder.Loaded now) {
    if (previous != null) {
      model.labelValues(previous.name(), previous.version(), previous.runId()).set(0);
      swaps.inc();
    }
    model.labelValues(now.name(), now.version(), now.runId()).set(1);
  }

  /** The text exposition format. */
  byte[] scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.write(out, registry.scrape());
    return out.toByteArray();
  }

  String contentType() {
    return writer.getContentType();
  }
}
