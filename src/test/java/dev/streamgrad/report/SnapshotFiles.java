package dev.streamgrad.report;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DriftEvent;
import dev.streamgrad.avro.Evaluation;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.records.SnapshotParameters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;

/** Snapshot files as a run's {@code avro-file} sink writes them, for the report's tests. */
public final class SnapshotFiles {
  /** A run id as {@code RunId} makes them. */
  public static final String RUN = "20261206-120000-abc123";

  private SnapshotFiles() {}

  /**
   * A conv2d model's snapshot at {@code version}: filter {@code [3, 3]} moving from 0 towards
   * {@code target} and bias towards {@code bias}, loss falling; event time 1 ms per record.
   */
  public static FilterSnapshot conv2d(String model, long version, double[] target, double bias) {
    double frac = 1 - Math.exp(-version / 20.0);
    double[] f = new double[9];
    for (int i = 0; i < 9; i++) {
      f[i] = target[i] * frac;
    }
    Map<String, Tensor> state = new LinkedHashMap<>();
    state.put("filter", Tensor.wrap(f, 3, 3));
    state.put("bias", Tensor.full(bias * frac, 1, 1));
    long records = version * 10;
    FilterSnapshot.Builder b = FilterSnapshot.newBuilder().setModel(model).setVersion(version)
        .setLoss(2.0 * Math.exp(-version / 15.0) + 0.01).setRecords(records)
        .setEventTime(Instant.parse("2026-01-01T00:00:00Z").plusMillis(records));
    return SnapshotParameters.fill(b, "conv2d", state).build();
  }

  /**
   * {@code s} with an evaluation as the trainer of schema v3 writes it: a prequential loss a little
   * above the training loss, a holdout loss, a closed event-time window of 50 ms per 5 versions and,
   * when {@code drift}, one drift event at the snapshot's records.
   */
  public static FilterSnapshot evaluated(FilterSnapshot s, boolean drift) {
    long window = s.getVersion() / 5 * 50;
    List<DriftEvent> drifts = !drift ? List.of() : List.of(DriftEvent.newBuilder().setModel(s.getModel())
        .setDetector("adwin").setReaction("reset-optimizer").setSeq(s.getRecords() - 1).setRecords(s.getRecords())
        .setVersion(s.getVersion()).setLoss(s.getLoss() * 3).setEventTime(s.getEventTime()).build());
    Evaluation e = Evaluation.newBuilder().setWindow(1000).setPrequentialLoss(s.getLoss() * 1.1)
        .setPrequentialRecords(Math.min(1000, s.getRecords())).setHoldoutLoss(s.getLoss() * 1.2)
        .setHoldoutRecords(s.getVersion()).setHeldOut(s.getVersion()).setEventTimeWindow(50)
        .setWindowStart(Instant.parse("2026-01-01T00:00:00Z").plusMillis(window - 50))
        .setWindowLoss(s.getLoss() * 1.05).setWindowRecords(window == 0 ? 0 : 45)
        .setWindowHoldoutLoss(Double.NaN).setWindowHoldoutRecords(0).setDrifts(drift ? 1 : 0)
        .setDriftEvents(drifts).build();
    return FilterSnapshot.newBuilder(s).setEvaluation(e).build();
  }

  /** Writes {@code snapshots} to {@code dir/sink-RUN-<writer>-0.avro}, as a sink's part file is named. */
  public static Path write(Path dir, int writer, List<FilterSnapshot> snapshots) throws IOException {
    Path f = dir.resolve("sink-" + RUN + "-" + writer + "-0.avro");
    try (DataFileWriter<FilterSnapshot> w = new DataFileWriter<>(new SpecificDatumWriter<>(FilterSnapshot.class))) {
      w.create(FilterSnapshot.getClassSchema(), f.toFile());
      for (FilterSnapshot s : snapshots) {
        w.append(s);
      }
    }
    return f;
  }
}
