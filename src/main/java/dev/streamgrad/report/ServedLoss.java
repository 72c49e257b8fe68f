package dev.streamgrad.report;

import dev.streamgrad.avro.PredictionScore;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The served-loss line of a model's charts, from the {@link PredictionScore} records the scorer
 * wrote: one point per model version that served scored predictions, the mean loss of those
 * predictions, placed at the records that version was trained on (its snapshot's {@code records};
 * the version number when the snapshot is not among the files read) and at the newest event time
 * of the records it served.
 */
public final class ServedLoss {
  /** The series' legend entry. */
  public static final String NAME = "served loss (per version)";

  private ServedLoss() {}

  /**
   * The series of {@code scores} (one model's), or null when there are none.
   *
   * @param recordsByVersion the {@code records} of each of the model's snapshots, by version
   */
  public static Series of(List<PredictionScore> scores, Map<Long, Long> recordsByVersion) {
    if (scores.isEmpty()) {
      return null;
    }
    // version -> {sum of losses, count, newest event time}
    Map<Long, double[]> byVersion = new TreeMap<>();
    for (PredictionScore s : scores) {
      double[] acc = byVersion.computeIfAbsent(s.getModelVersion(), v -> new double[] {0, 0, Long.MIN_VALUE});
      acc[0] += s.getLoss();
      acc[1]++;
      acc[2] = Math.max(acc[2], s.getEventTime() == null ? 0 : s.getEventTime().toEpochMilli());
    }
    int n = byVersion.size();
    long[] records = new long[n];
    long[] times = new long[n];
    double[] values = new double[n];
    int i = 0;
    long last = Long.MIN_VALUE;
    for (Map.Entry<Long, double[]> e : byVersion.entrySet()) {
      // non-decreasing, as a series needs, even if a snapshot's count were out of order
      last = Math.max(last, recordsByVersion.getOrDefault(e.getKey(), e.getKey()));
      records[i] = last;
      times[i] = (long) e.getValue()[2];
      values[i] = e.getValue()[0] / e.getValue()[1];
      i++;
    }
    return new Series(NAME, records, times, values);
  }
}
