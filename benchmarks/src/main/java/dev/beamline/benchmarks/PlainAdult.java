package dev.beamline.benchmarks;

import dev.beamline.features.FeatureTransform;
import dev.beamline.features.steps.VocabularyStep;
import dev.beamline.features.steps.ZScoreStep;
import dev.beamline.spi.data.Column;
import dev.beamline.spi.data.Record;
import dev.beamline.spi.data.Schema;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The reference for benchmarks/adult-1m.sh: the same work as the benchmark pipeline, as a plain
 * single-threaded Java program (XGBoost keeps its own threads): parse the CSV, fit z-scores and
 * vocabularies (min frequency 5), apply them with the same plain-Java steps Beamline uses, build the
 * DMatrix, train the same rounds, and report test AUC on adult.test.
 *
 * <p>Usage: {@code PlainAdult TRAIN.csv TEST.csv ROUNDS}
 */
public final class PlainAdult {
  private static final String[] NAMES = {"age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
      "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income"};
  private static final boolean[] NUMERIC = {true, false, true, false, true, false, false, false, false, false, true, true, true,
      false, false};

  private PlainAdult() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < NAMES.length; i++) {
      columns.add(NUMERIC[i] ? Column.numeric(NAMES[i]) : Column.categorical(NAMES[i]));
    }
    Schema schema = new Schema(columns);
    List<Record> train = read(Path.of(args[0]), schema, 0);
    List<Record> test = read(Path.of(args[1]), schema, 1);
    int rounds = Integer.parseInt(args[2]);
    long t1 = System.nanoTime();

    // Fit: mean/std of numeric columns, vocabularies of categorical ones (same rules as the pipeline).
    List<FeatureTransform.Chain> chains = new ArrayList<>();
    for (int c = 0; c < NAMES.length - 1; c++) {
      int slot = schema.slotAt(c);
      if (NUMERIC[c]) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (Record r : train) {
          double v = r.numbers()[slot];
          if (!Double.isNaN(v)) {
            sum += v;
            sq += v * v;
            n++;
          }
        }
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sq / n - mean * mean));
        chains.add(new FeatureTransform.Chain(NAMES[c], List.of(new FeatureTransform.Step("zscore", Map.of(), new ZScoreStep(mean, std, n)))));
      } else {
        Map<String, Long> counts = new HashMap<>();
        for (Record r : train) {
          String v = r.texts()[slot];
          if (v != null) {
            counts.merge(v, 1L, Long::sum);
          }
        }
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> terms = entries.stream().filter(e -> e.getValue() >= 5).map(Map.Entry::getKey).toList();
        chains.add(new FeatureTransform.Chain(NAMES[c], List.of(new FeatureTransform.Step("vocabulary", Map.of("encoding", "onehot"),
            new VocabularyStep(terms, true)))));
      }
    }
    FeatureTransform transform = new FeatureTransform(schema, null, null, chains);
    long t2 = System.nanoTime();

    DMatrix dtrain = matrix(train, transform, schema);
    DMatrix dtest = matrix(test, transform, schema);
    train = null;
    long t3 = System.nanoTime();

    Map<String, Object> params = new LinkedHashMap<>();
    params.put("objective", "binary:logistic");
    params.put("tree_method", "hist");
    params.put("eta", 0.1);
    params.put("max_depth", 6);
    params.put("seed", 42);
    params.put("eval_metric", "auc");
    Booster booster = XGBoost.train(dtrain, params, rounds, new LinkedHashMap<>(), null, null);
    long t4 = System.nanoTime();
    String eval = booster.evalSet(new DMatrix[] {dtest}, new String[] {"test"}, rounds - 1);
    System.out.printf("plain: rows %d, features %d; parse %.1fs, fit %.1fs, apply+DMatrix %.1fs, train %.1fs; %s%n",
        dtrain.rowNum(), transform.width(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, eval.trim());
  }

  private static List<Record> read(Path file, Schema schema, int skip) throws Exception {
    List<Record> rows = new ArrayList<>();
    CSVFormat format = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(true).get();
    try (Reader in = Files.newBufferedReader(file)) {
      for (int i = 0; i < skip; i++) {
        ((java.io.BufferedReader) in).readLine();
      }
      long id = 0;
      for (CSVRecord r : format.parse(in)) {
        if (r.size() != NAMES.length) {
          continue;
        }
        double[] numbers = new double[schema.numericCount()];
        String[] texts = new String[schema.textCount()];
        for (int c = 0; c < NAMES.length; c++) {
          String v = r.get(c);
          if (NUMERIC[c]) {
            numbers[schema.slotAt(c)] = v.equals("?") ? Double.NaN : Double.parseDouble(v);
          } else {
            texts[schema.slotAt(c)] = v.equals("?") ? null : v;
          }
        }
        rows.add(new Record(id++, numbers, texts, null));
      }
    }
    return rows;
  }

  private static DMatrix matrix(List<Record> rows, FeatureTransform transform, Schema schema) throws Exception {
    int width = transform.width();
    float[] values = new float[rows.size() * width];
    float[] labels = new float[rows.size()];
    int labelSlot = schema.slot("income");
    for (int i = 0; i < rows.size(); i++) {
      transform.apply(rows.get(i), values, i * width);
      labels[i] = rows.get(i).texts()[labelSlot].startsWith(">50K") ? 1 : 0;
    }
    DMatrix d = new DMatrix(values, rows.size(), width, Float.NaN);
    d.setLabel(labels);
    return d;
  }
}
