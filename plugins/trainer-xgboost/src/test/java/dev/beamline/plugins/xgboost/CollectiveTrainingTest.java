package dev.beamline.plugins.xgboost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.beamline.spi.model.Collective;
import dev.beamline.spi.model.FeatureMatrix;
import dev.beamline.spi.model.Task;
import dev.beamline.spi.model.TaskType;
import dev.beamline.spi.model.TrainedModel;
import dev.beamline.spi.model.Trainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Workers train one model together through XGBoost's tracker (here threads of one JVM, on loopback): every member
 * returns the same model, the same in every run, close in quality to one worker's; a missing member fails in bounded time.
 */
class CollectiveTrainingTest {
  private static final Task BINARY = new Task(TaskType.BINARY, List.of("0", "1"));

  private static Trainer trainer(int earlyStopping) {
    XGBoostPlugin plugin = new XGBoostPlugin();
    return plugin.create(plugin.configSpec().validate("trainer", Map.of("rounds", 30, "earlyStoppingRounds", earlyStopping,
        "nthread", 1, "seed", 7, "evalMetrics", List.of("logloss", "auc"), "params", Map.of("max_depth", 4))), BINARY);
  }

  /** Rows {@code from, from + step, ...} of a matrix. */
  private static FeatureMatrix part(FeatureMatrix m, int from, int step) {
    int n = (m.rows() - from + step - 1) / step;
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = from + i * step;
    }
    float[] values = new float[n * m.columns()];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m.values(), rows[i] * m.columns(), values, i * m.columns(), m.columns());
      labels[i] = m.labels()[rows[i]];
    }
    return new FeatureMatrix(n, m.columns(), m.featureNames(), null, null, values, labels, null);
  }

  /** Trains with {@code workers} members (threads), each on every {@code workers}-th row; returns each member's model. */
  private static List<TrainedModel> together(int workers, int present, FeatureMatrix train, FeatureMatrix validation, int timeout)
      throws Exception {
    return together(workers, present, train, validation, timeout, () -> trainer(validation == null ? 0 : 3));
  }

  private static List<TrainedModel> together(int workers, int present, FeatureMatrix train, FeatureMatrix validation, int timeout,
      java.util.function.Supplier<Trainer> trainers) throws Exception {
    List<FeatureMatrix[]> shares = new ArrayList<>();
    for (int rank = 0; rank < present; rank++) {
      shares.add(new FeatureMatrix[] {part(train, rank, workers), validation == null ? null : part(validation, rank, workers)});
    }
    return members(workers, shares, timeout, trainers);
  }

  /** Trains with {@code workers} members, the first {@code shares.size()} of them present, each on its training and validation share. */
  private static List<TrainedModel> members(int workers, List<FeatureMatrix[]> shares, int timeout, java.util.function.Supplier<Trainer> trainers)
      throws Exception {
    Collective collective = new XGBoostPlugin().collective().orElseThrow();
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try (Collective.Tracker tracker = collective.startTracker(workers, "127.0.0.1", 0)) {
      List<Future<TrainedModel>> members = new ArrayList<>();
      for (int rank = 0; rank < shares.size(); rank++) {
        Collective.Member member = new Collective.Member(rank, workers, tracker.workerArgs(), tracker.address(), timeout);
        FeatureMatrix[] share = shares.get(rank);
        members.add(pool.submit(() -> trainers.get().train(share[0], share[1], member)));
      }
      List<TrainedModel> models = new ArrayList<>();
      for (Future<TrainedModel> m : members) {
        models.add(m.get(120, TimeUnit.SECONDS));
      }
      return models;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void membersGrowOneModelTheSameInEveryRun() throws Exception {
    FeatureMatrix train = QuantileMatrixTest.data(6000, 1, false);
    FeatureMatrix validation = QuantileMatrixTest.data(2000, 2, false);
    List<TrainedModel> first = together(2, 2, train, validation, 30);
    List<TrainedModel> second = together(2, 2, train, validation, 30);
    assertArrayEquals(first.get(0).bytes(), first.get(1).bytes(), "every member has the same model");
    assertArrayEquals(first.get(0).bytes(), second.get(0).bytes(), "the same model in every run");
    assertEquals(first.get(0).bestIteration(), first.get(1).bestIteration());
    assertEquals(first.get(0).history(), first.get(1).history(), "the metrics are the group's, not a member's");
    assertEquals(2, first.get(0).info().get("workers"));
    assertEquals(3000, first.get(0).info().get("memberTrainRows"));
    assertEquals(6000L, first.get(0).info().get("trainRows"), "the group's rows");
    assertEquals(2000L, first.get(0).info().get("validationRows"));

    // Close to one worker's model on all the rows: the same rounds, auc within 0.01 on the validation rows.
    TrainedModel alone = trainer(3).train(train, validation);
    double aloneAuc = last(alone, "auc");
    double togetherAuc = last(first.get(0), "auc");
    assertTrue(Math.abs(aloneAuc - togetherAuc) < 0.01, "auc alone " + aloneAuc + ", together " + togetherAuc);
  }

  @Test
  void aMemberWithNoRowsOfASplitStillTrainsWithTheOthers() throws Exception {
    // Tiny data can leave a worker's share of the validation rows (or, rarer, of the training rows) empty: it still
    // takes part, with an empty matrix, since the others wait for it.
    FeatureMatrix train = QuantileMatrixTest.data(3000, 1, false);
    FeatureMatrix validation = QuantileMatrixTest.data(500, 2, false);
    FeatureMatrix none = new FeatureMatrix(0, train.columns(), train.featureNames(), null, null, new float[0], new float[0], null);
    List<TrainedModel> models = members(2, List.of(new FeatureMatrix[] {train, validation}, new FeatureMatrix[] {none, none}), 30,
        () -> trainer(3));
    assertArrayEquals(models.get(0).bytes(), models.get(1).bytes());
    assertEquals(3000L, models.get(0).info().get("trainRows"));
  }

  @Test
  void forestsAndSingleTreesGrowTogetherToo() throws Exception {
    FeatureMatrix train = QuantileMatrixTest.data(6000, 1, false);
    FeatureMatrix validation = QuantileMatrixTest.data(2000, 2, false);
    List<dev.beamline.spi.TrainerFactory> treeModels = List.of(new OtherModels.RandomForest(), new OtherModels.DecisionTree());
    for (dev.beamline.spi.TrainerFactory factory : treeModels) {
      assertTrue(factory.collective().isPresent(), factory.id());
      java.util.function.Supplier<Trainer> make = () -> factory.create(factory.configSpec().validate("trainer",
          Map.of("seed", 7, "nthread", 1, "evalMetrics", List.of("auc"))), BINARY);
      List<TrainedModel> models = together(2, 2, train, validation, 30, make);
      assertArrayEquals(models.get(0).bytes(), models.get(1).bytes(), factory.id());
      double alone = last(make.get().train(train, validation), "auc");
      double both = last(models.get(0), "auc");
      assertTrue(Math.abs(alone - both) < 0.01, factory.id() + ": auc alone " + alone + ", together " + both);
    }
    assertTrue(new OtherModels.Linear().collective().isEmpty(), "gblinear trains on one worker");
  }

  private static double last(TrainedModel m, String metric) {
    return m.history().get(m.bestIteration()).metrics().get("validation").get(metric);
  }

  @Test
  void aMemberWhosePeerNeverComesFailsInBoundedTimeNamingTheTracker() {
    FeatureMatrix train = QuantileMatrixTest.data(1000, 1, false);
    long started = System.nanoTime();
    ExecutionException e = assertThrows(ExecutionException.class, () -> together(2, 1, train, null, 3));
    double seconds = (System.nanoTime() - started) / 1e9;
    assertTrue(e.getCause() instanceof IOException, String.valueOf(e.getCause()));
    assertTrue(e.getCause().getMessage().startsWith("worker 0 of 2 could not join the training group at XGBoost's tracker 127.0.0.1:"),
        e.getCause().getMessage());
    assertTrue(seconds < 60, "failed after " + seconds + " s");
  }
}
