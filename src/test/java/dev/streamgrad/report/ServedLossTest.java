package dev.streamgrad.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.PredictionScore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report reads the scorer's files beside the snapshots: a served-loss line per model and version. */
class ServedLossTest {
  private static final double[] TARGET = {0.5, -1.0, 0.25, 2.0, 0.0, -0.5, 1.5, -2.0, 0.75};

  @TempDir
  Path dir;

  static PredictionScore score(String model, long version, long seq, double loss) {
    return PredictionScore.newBuilder().setKey(model).setSeq(seq).setModel(model).setModelVersion(version)
        .setLoss(loss).setLabelDelayMs(250).setEventTime(Instant.ofEpochMilli(1_000 * seq))
        .setLabelEventTime(Instant.ofEpochMilli(1_000 * seq + 250)).build();
  }

  static void writeScores(Path f, List<PredictionScore> scores) throws IOException {
    try (DataFileWriter<PredictionScore> w = new DataFileWriter<>(new SpecificDatumWriter<>(PredictionScore.class))) {
      w.create(PredictionScore.getClassSchema(), f.toFile());
      for (PredictionScore s : scores) {
        w.append(s);
      }
    }
  }

  @Test
  void scoresAddAServedLossSeriesPerModelAndVersion() throws IOException {
    List<FilterSnapshot> snaps = new ArrayList<>();
    for (long v = 1; v <= 4; v++) {
      snaps.add(SnapshotFiles.conv2d("alpha", v, TARGET, 0.3));
    }
    SnapshotFiles.write(dir, 0, snaps);
    // version 2 served seq 0..2 (losses 1, 2, 3), version 4 served seq 3; version 3 served nothing scored
    writeScores(dir.resolve("score-sink-" + SnapshotFiles.RUN + "-0-0.avro"), List.of(score("alpha", 2, 0, 1.0),
        score("alpha", 4, 3, 0.5), score("alpha", 2, 2, 3.0), score("alpha", 2, 1, 2.0)));
    writeScores(dir.resolve("score-sink-" + SnapshotFiles.RUN + "-1-0.avro"), List.of(score("ghost", 1, 0, 9.0)));

    SnapshotReader.Result r = SnapshotReader.read(List.of(dir));

    assertThat(r.problems()).isEmpty();
    assertThat(r.models()).extracting(ModelHistory::model).containsExactly("alpha");
    Series served = r.models().get(0).series().get(1);
    assertThat(served.name()).isEqualTo(ServedLoss.NAME);
    assertThat(served.values()).containsExactly(2.0, 0.5);
    assertThat(served.records()).as("the records of snapshots 2 and 4").containsExactly(20, 40);
    assertThat(served.eventTimes()).as("the newest record each version served").containsExactly(2_000, 3_000);
    assertThat(r.notes()).containsExactly("1 scores of model ghost (run " + SnapshotFiles.RUN
        + ") have no snapshots among the files read; add the run's snapshot folder to draw them");
  }

  @Test
  void aVersionWithoutItsSnapshotIsPlacedByItsNumber() {
    Series s = ServedLoss.of(List.of(score("m", 7, 0, 1.0), score("m", 3, 1, 4.0)), java.util.Map.of(3L, 30L));
    assertThat(s.records()).containsExactly(30, 30);
    assertThat(s.values()).containsExactly(4.0, 1.0);
    assertThat(ServedLoss.of(List.of(), java.util.Map.of())).isNull();
  }
}
