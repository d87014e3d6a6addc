package dev.beamline.statistics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a dataset must look like (TFDV's schema, kept small): per column its type, whether it must be present,
 * the largest share of missing values, and for a numeric column its range, for a categorical one its domain,
 * each with the share of values outside it that is tolerated. Inferred from statistics ({@link #infer}), kept
 * beside the pipeline as {@code schema.yaml} and edited by people; {@link Validation} checks statistics
 * against it.
 *
 * @param columns the columns, in order
 */
public record DataSchema(List<ColumnSchema> columns) {
  /** Categorical columns with more distinct values than this get no domain when inferred (free text). */
  public static final int MAX_DOMAIN = 1000;
  /** The share of values outside a range or domain tolerated by default. */
  public static final double DEFAULT_TOLERANCE = 0.01;

  public DataSchema {
    columns = List.copyOf(columns);
  }

  /**
   * One column.
   *
   * @param name the column
   * @param type numeric, categorical or sparse
   * @param required whether the data must have the column
   * @param maxMissingFraction the largest share of rows without a value
   * @param min the smallest expected value (numeric), or null for no bound
   * @param max the largest expected value (numeric), or null for no bound
   * @param domain the expected values (categorical), or null for any
   * @param maxOutsideFraction the share of present values outside the range or the domain that is tolerated
   * @param maxJensenShannon the largest Jensen-Shannon divergence from the reference distribution (drift), or
   *     null for {@link Drift#DEFAULT_MAX_JENSEN_SHANNON}
   * @param maxLInfinity the largest L-infinity distance between the reference and the new category shares,
   *     or null for no such check
   */
  public record ColumnSchema(String name, String type, boolean required, double maxMissingFraction, Double min, Double max,
      List<String> domain, double maxOutsideFraction, Double maxJensenShannon, Double maxLInfinity) {
    public ColumnSchema {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      domain = domain == null ? null : List.copyOf(domain);
    }
  }

  /** The column named {@code name}, or null. */
  public ColumnSchema column(String name) {
    return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
  }

  /**
   * The schema a dataset's statistics suggest ({@link DatasetStatistics#summary()}): every column required, its
   * observed range or domain (a domain only when its values were counted exactly and are at most
   * {@link #MAX_DOMAIN}), a missing share with room above the observed one (half as much again plus one
   * point: 0 becomes 0.01, 0.10 becomes 0.16), and {@link #DEFAULT_TOLERANCE} outside.
   */
  @SuppressWarnings("unchecked")
  public static DataSchema infer(Map<String, Object> datasetSummary) {
    List<ColumnSchema> out = new ArrayList<>();
    ((Map<String, Object>) datasetSummary.get("columns")).forEach((name, value) -> {
      Map<String, Object> c = (Map<String, Object>) value;
      String type = (String) c.get("type");
      Object fraction = c.get("missingFraction");
      double missing = fraction == null ? 0 : ((Number) fraction).doubleValue();
      double allowed = Math.min(1, Math.ceil((missing * 1.5 + 0.01) * 1000) / 1000);
      Double min = null;
      Double max = null;
      List<String> domain = null;
      if (type.equals("numeric") && c.get("min") != null) {
        min = ((Number) c.get("min")).doubleValue();
        max = ((Number) c.get("max")).doubleValue();
      } else if (type.equals("categorical") && c.get("values") instanceof Map<?, ?> values && values.size() <= MAX_DOMAIN) {
        domain = new ArrayList<>((java.util.Collection<String>) values.keySet());
        domain.sort(null);
      }
      out.add(new ColumnSchema(name, type, true, allowed, min, max, domain, DEFAULT_TOLERANCE, null, null));
    });
    return new DataSchema(out);
  }
}
