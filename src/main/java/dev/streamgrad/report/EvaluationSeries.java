package dev.streamgrad.report;

import dev.streamgrad.avro.DriftEvent;
import dev.streamgrad.avro.Evaluation;
import dev.streamgrad.avro.FilterSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines and markers a model's snapshots' {@code evaluation} (schema v3) adds to its loss charts:
 * the prequential loss (rolling mean at each snapshot), the holdout loss when records were held out,
 * the loss of each closed event-time window (placed at the window's end), and a marker per drift.
 * Snapshots without an evaluation (older schema versions) add nothing.
 */
final class EvaluationSeries {
  static final String PREQUENTIAL = "prequential loss";
  static final String HOLDOUT = "holdout loss";
  static final String WINDOW = "event-time window loss";

  private EvaluationSeries() {}

  /** Adds what {@code sorted} (one model's snapshots in version order) say about its evaluation to {@code h}. */
  static void addTo(ModelHistory h, List<FilterSnapshot> sorted) {
    List<FilterSnapshot> evaluated = new ArrayList<>();
    for (FilterSnapshot s : sorted) {
      if (s.getEvaluation() != null) {
        evaluated.add(s);
      }
    }
    if (evaluated.isEmpty()) {
      return;
    }
    int n = evaluated.size();
    long[] records = new long[n];
    long[] times = new long[n];
    double[] prequential = new double[n];
    double[] holdout = new double[n];
    boolean anyHoldout = false;
    List<long[]> windowPoints = new ArrayList<>();
    List<Double> windowLoss = new ArrayList<>();
    long lastWindow = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      FilterSnapshot s = evaluated.get(i);
      Evaluation e = s.getEvaluation();
      records[i] = s.getRecords();
      times[i] = s.getEventTime() == null ? 0 : s.getEventTime().toEpochMilli();
      prequential[i] = e.getPrequentialLoss();
      holdout[i] = e.getHoldoutLoss();
      anyHoldout |= e.getHeldOut() > 0;
      long start = e.getWindowStart() == null ? 0 : e.getWindowStart().toEpochMilli();
      // a window closes once; later snapshots repeat it until the next one closes
      if (e.getWindowRecords() + e.getWindowHoldoutRecords() > 0 && start != lastWindow) {
        windowPoints.add(new long[] {s.getRecords(), start + e.getEventTimeWindow()});
        windowLoss.add(e.getWindowLoss());
        lastWindow = start;
      }
      for (DriftEvent d : e.getDriftEvents()) {
        h.addEvent(new Event("drift (" + d.getDetector() + ")", d.getRecords(),
            d.getEventTime() == null ? 0 : d.getEventTime().toEpochMilli()));
      }
    }
    h.addSeries(new Series(PREQUENTIAL, records, times, prequential));
    if (anyHoldout) {
      h.addSeries(new Series(HOLDOUT, records, times, holdout));
    }
    if (!windowPoints.isEmpty()) {
      long[] wr = new long[windowPoints.size()];
      long[] wt = new long[windowPoints.size()];
      double[] wl = new double[windowPoints.size()];
      for (int i = 0; i < wl.length; i++) {
        wr[i] = windowPoints.get(i)[0];
        wt[i] = windowPoints.get(i)[1];
        wl[i] = windowLoss.get(i);
      }
      h.addSeries(new Series(WINDOW, wr, wt, wl));
    }
  }
}
