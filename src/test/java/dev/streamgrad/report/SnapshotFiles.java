package dev.streamgrad.report;

import dev.streamgrad.autograd.Tensor;
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
