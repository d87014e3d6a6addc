package dev.beamline.core.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootstrapTest {
  @Test
  void drawsArePoissonOfMeanAndVarianceOneAndDependOnlyOnSeedRowAndReplicate() {
    Bootstrap b = new Bootstrap(100, 0.95, 7);
    double sum = 0;
    double squares = 0;
    int zeros = 0;
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      int k = b.draw(i, i % 100);
      sum += k;
      squares += k * k;
      zeros += k == 0 ? 1 : 0;
    }
    double mean = sum / n;
    assertEquals(1.0, mean, 0.01);
    assertEquals(1.0, squares / n - mean * mean, 0.02);
    assertEquals(Math.exp(-1), (double) zeros / n, 0.005);
    assertEquals(b.draw(12345, 3), new Bootstrap(10, 0.9, 7).draw(12345, 3), "the samples and level do not change a draw");
    int differ = 0;
    for (int i = 0; i < 100; i++) {
      differ += b.draw(i, 0) != new Bootstrap(100, 0.95, 8).draw(i, 0) ? 1 : 0;
    }
    assertTrue(differ > 30, "another seed draws otherwise: " + differ);
  }

  @Test
  void intervalsArePercentilesOfTheReplicatesWithoutTheRowCount() {
    List<Map<String, Double>> replicates = new ArrayList<>();
    for (int i = 0; i <= 100; i++) {
      replicates.add(Map.of("auc", i / 100.0, "rows", 5.0, "ece", i == 0 ? Double.NaN : 1.0));
    }
    Map<String, Map<String, Double>> ci = new Bootstrap(101, 0.9, 1).intervals(replicates);
    assertEquals(0.05, ci.get("auc").get("low"), 1e-12);
    assertEquals(0.95, ci.get("auc").get("high"), 1e-12);
    assertEquals(Math.sqrt(101 * 102 / 12.0 / 100) / 100 * 10, ci.get("auc").get("stderr"), 1e-3);
    assertEquals(1.0, ci.get("ece").get("low"), "an undefined replicate is left out");
    assertEquals(false, ci.containsKey("rows"));
    assertEquals(2.5, Bootstrap.quantile(new double[] {1, 2, 3, 4}, 0.5), 1e-12);
    assertNotEquals(ci.get("auc").get("low"), ci.get("auc").get("high"));
  }
}
