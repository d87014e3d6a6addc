package dev.beamline.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's pictures, drawn with XChart as PNG: each method makes one chart from figures already computed. */
final class Charts {
  static final int WIDTH = 720;
  static final int HEIGHT = 440;
  private static final BasicStroke DASHED = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

  private Charts() {}

  /** A chart as PNG bytes. */
  static byte[] png(Chart<?, ?> chart) throws IOException {
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  private static XYChart xy(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
    c.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.InsideSE).setMarkerSize(4);
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    c.getStyler().setXAxisDecimalPattern("#,##0.###").setYAxisDecimalPattern("#,##0.###");
    return c;
  }

  /** At most this many points of a line are drawn (every k-th and the last): more are not seen, only paid for. */
  static final int LINE_POINTS = 2000;

  private static void line(XYChart c, String name, double[] x, double[] y) {
    int step = Math.max(1, (x.length + LINE_POINTS - 1) / LINE_POINTS);
    int n = (x.length + step - 1) / step + (x.length > 0 && (x.length - 1) % step != 0 ? 1 : 0);
    double[] xs = new double[n];
    double[] ys = new double[n];
    int k = 0;
    for (int i = 0; i < x.length; i += step) {
      xs[k] = x[i];
      ys[k++] = y[i];
    }
    if (k < n) {
      xs[k] = x[x.length - 1];
      ys[k] = y[y.length - 1];
    }
    c.addSeries(name, xs, ys).setMarker(SeriesMarkers.NONE);
  }

  private static void diagonal(XYChart c, String name) {
    XYSeries s = c.addSeries(name, new double[] {0, 1}, new double[] {0, 1});
    s.setMarker(SeriesMarkers.NONE).setLineStyle(DASHED).setLineColor(Color.GRAY);
  }

  static XYChart roc(Curves.Curve roc, double auc) {
    XYChart c = xy("ROC curve (test split)", "false positive rate", "true positive rate");
    line(c, String.format(java.util.Locale.ROOT, "model (auc %.4f)", auc), roc.x(), roc.y());
    diagonal(c, "chance");
    unitAxes(c);
    return c;
  }

  static XYChart precisionRecall(Curves.Curve pr, double averagePrecision, double positiveShare) {
    XYChart c = xy("Precision-recall curve (test split)", "recall", "precision");
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    line(c, String.format(java.util.Locale.ROOT, "model (average precision %.4f)", averagePrecision), pr.x(), pr.y());
    XYSeries base = c.addSeries(String.format(java.util.Locale.ROOT, "chance (%.3f positive)", positiveShare), new double[] {0, 1},
        new double[] {positiveShare, positiveShare});
    base.setMarker(SeriesMarkers.NONE).setLineStyle(DASHED).setLineColor(Color.GRAY);
    unitAxes(c);
    return c;
  }

  static XYChart calibration(Curves.Calibration cal) {
    XYChart c = xy("Calibration (test split, 10 bins)", "mean predicted probability", "share of positives");
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.addSeries("model", cal.meanScore(), cal.positiveShare()).setMarker(SeriesMarkers.CIRCLE);
    diagonal(c, "perfectly calibrated");
    unitAxes(c);
    return c;
  }

  private static void unitAxes(XYChart c) {
    c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
  }

  /** A confusion matrix: actual classes down, predicted across, row counts in the cells. */
  static HeatMapChart confusion(long[][] m, List<String> classes, String how) {
    HeatMapChart c = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT).title("Confusion matrix (test split, " + how + ")")
        .xAxisTitle("predicted").yAxisTitle("actual").build();
    c.getStyler().setShowValue(true).setHeatMapValueDecimalPattern("#,##0");
    c.getStyler().setChartBackgroundColor(Color.WHITE).setLegendVisible(false);
    c.getStyler().setRangeColors(new Color[] {new Color(0xf1, 0xf5, 0xfb), new Color(0x6b, 0xae, 0xd6), new Color(0x08, 0x45, 0x94)});
    List<Number[]> cells = new ArrayList<>();
    for (int a = 0; a < m.length; a++) {
      for (int p = 0; p < m.length; p++) {
        cells.add(new Number[] {p, m.length - 1 - a, m[a][p]});
      }
    }
    List<String> down = new ArrayList<>(classes);
    java.util.Collections.reverse(down);
    c.addSeries("rows", classes, down, cells);
    return c;
  }

  /** Predicted against actual values (regression), with the line of perfect predictions. */
  static XYChart predictedVsActual(double[] actual, double[] predicted) {
    XYChart c = xy("Predicted vs actual (test split)", "actual", "predicted");
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(3);
    c.addSeries("rows", actual, predicted);
    double lo = Math.min(min(actual), min(predicted));
    double hi = Math.max(max(actual), max(predicted));
    XYSeries d = c.addSeries("perfect", new double[] {lo, hi}, new double[] {lo, hi});
    d.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE).setLineStyle(DASHED).setLineColor(Color.GRAY);
    return c;
  }

  /** Residuals (actual less predicted) against the prediction (regression). */
  static XYChart residuals(double[] actual, double[] predicted) {
    XYChart c = xy("Residuals (test split)", "predicted", "actual - predicted");
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(3);
    double[] r = new double[actual.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = actual[i] - predicted[i];
    }
    c.addSeries("rows", predicted, r);
    XYSeries zero = c.addSeries("zero", new double[] {min(predicted), max(predicted)}, new double[] {0, 0});
    zero.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE).setLineStyle(DASHED).setLineColor(Color.GRAY);
    return c;
  }

  /** A search's metric by trial: each trial's mean over its folds with its standard deviation as error bars, the best apart. */
  static XYChart searchByTrial(String metric, double[] trials, double[] means, double[] stds, int best) {
    XYChart c = xy("Search: " + metric + " by trial (mean ± std over the folds)", "trial", metric);
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(6);
    c.getStyler().setXAxisDecimalPattern("#0");
    c.addSeries("trials", trials, means, stds);
    if (best >= 0) {
      c.addSeries("best (trial " + (int) trials[best] + ")", new double[] {trials[best]}, new double[] {means[best]}).setMarkerColor(Color.RED);
    }
    return c;
  }

  /** A search's metric against one searched setting's value, on a log axis when the values span more than a decade. */
  static XYChart searchByValue(String metric, String setting, double[] values, double[] means, int best) {
    XYChart c = xy("Search: " + metric + " against " + setting, setting, metric);
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter).setMarkerSize(6);
    double lo = min(values);
    double hi = max(values);
    c.getStyler().setXAxisLogarithmic(lo > 0 && hi / lo > 10);
    c.addSeries("trials", values, means);
    if (best >= 0) {
      c.addSeries("best", new double[] {values[best]}, new double[] {means[best]}).setMarkerColor(Color.RED);
    }
    return c;
  }

  /** Bars of values by name, in the given order (importance, slices). */
  static CategoryChart bars(String title, String x, String y, Map<String, Double> values) {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(values.size() > 6 ? HEIGHT + 140 : HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
    c.getStyler().setXAxisLabelRotation(values.size() > 6 ? 45 : 0);
    c.getStyler().setChartBackgroundColor(Color.WHITE).setLegendVisible(false);
    c.addSeries(y, new ArrayList<>(values.keySet()), new ArrayList<>(values.values()));
    return c;
  }

  /** The learning curve of one metric: train and validation by boosting round, the round kept marked. */
  static XYChart learningCurve(String metric, Map<String, double[]> bySplit, double[] rounds, int best) {
    XYChart c = xy("Learning curve: " + metric, "boosting round", metric);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    bySplit.forEach((split, values) -> line(c, split, rounds, values));
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] v : bySplit.values()) {
      lo = Math.min(lo, min(v));
      hi = Math.max(hi, max(v));
    }
    if (best >= 0 && Double.isFinite(lo)) {
      XYSeries b = c.addSeries("model kept (round " + best + ")", new double[] {best, best}, new double[] {lo, hi});
      b.setMarker(SeriesMarkers.NONE).setLineStyle(DASHED).setLineColor(Color.GRAY);
    }
    return c;
  }

  /** A numeric column's distribution per split: the share of rows per histogram bin, at the bins' centres. */
  static XYChart numericHistogram(String column, Map<String, double[][]> centresAndShares) {
    XYChart c = xy(column + ": train vs test", column, "share of rows");
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    centresAndShares.forEach((split, cs) -> c.addSeries(split, cs[0], cs[1]).setMarker(SeriesMarkers.CIRCLE));
    return c;
  }

  /** A categorical column's distribution per split: the share of rows of each of its top values. */
  static CategoryChart categoricalHistogram(String column, List<String> values, Map<String, List<Double>> shares) {
    CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(values.size() > 5 ? HEIGHT + 100 : HEIGHT).title(column + ": train vs test").xAxisTitle(column)
        .yAxisTitle("share of rows").build();
    c.getStyler().setXAxisLabelRotation(values.size() > 5 ? 45 : 0);
    c.getStyler().setChartBackgroundColor(Color.WHITE).setLegendPosition(Styler.LegendPosition.InsideNE);
    shares.forEach((split, s) -> c.addSeries(split, values, s));
    return c;
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Double.isFinite(x) ? Math.min(m, x) : m;
    }
    return m;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Double.isFinite(x) ? Math.max(m, x) : m;
    }
    return m;
  }
}
