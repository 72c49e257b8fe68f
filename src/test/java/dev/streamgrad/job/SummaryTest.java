package dev.streamgrad.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.Evaluation;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.job.spec.JobSpec;
import dev.streamgrad.job.spec.JobSpecParser;
import dev.streamgrad.records.TensorCodec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Model names come from records: the progress line shows them escaped and cut, and only a few. */
class SummaryTest {
  private static FilterSnapshot snapshot(String model, long version) {
    return FilterSnapshot.newBuilder().setModel(model).setVersion(version)
        .setFilter(TensorCodec.encode(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2), DType.FLOAT64)).setBias(0.5)
        .setLoss(0.25).setRecords(version).setEventTime(Instant.EPOCH).build();
  }

  @Test
  void aNameCannotForgeALineOrFloodTheConsole() {
    Progress p = new Progress();
    p.snapshot(snapshot("alpha\n[  99.9s] records in 0 (0/s) | dead 0", 3));
    p.snapshot(snapshot("x".repeat(1 << 20), 5));
    String line = Summary.progressLine(1.5, 10, 5, p);
    assertThat(line).doesNotContain("\n").hasSizeLessThan(300)
        .contains("alpha\\n[  99.9s] records in 0 (0/s) | dead 0 v3 loss 0.250")
        .contains("x".repeat(64) + "...[1048576 chars] v5");
  }

  @Test
  void aProgressLineNamesAFewModelsAndCountsTheOthers() {
    Progress p = new Progress();
    for (int m = 0; m < 1000; m++) {
      p.snapshot(snapshot(String.format("model-%03d", m), 1));
    }
    String line = Summary.progressLine(1.5, 1000, 5, p);
    assertThat(line).contains("model-000 v1", "model-003 v1", "| 996 more models").doesNotContain("model-004");
  }

  @Test
  void theProgressLineShowsEachModelsPrequentialAndHoldoutLossAndDrifts() {
    Progress p = new Progress();
    Evaluation e = Evaluation.newBuilder().setWindow(1000).setPrequentialLoss(0.125).setPrequentialRecords(7)
        .setHoldoutLoss(0.5).setHoldoutRecords(2).setHeldOut(2).setEventTimeWindow(60_000)
        .setWindowStart(Instant.EPOCH).setWindowLoss(Double.NaN).setWindowRecords(0)
        .setWindowHoldoutLoss(Double.NaN).setWindowHoldoutRecords(0).setDrifts(3).setDriftEvents(List.of()).build();
    p.snapshot(FilterSnapshot.newBuilder(snapshot("a", 7)).setEvaluation(e).build());
    p.snapshot(snapshot("b", 2));
    String line = Summary.progressLine(1.5, 10, 5, p);
    assertThat(line).contains("| a v7 loss 0.250 preq 0.125 holdout 0.500 drifts 3 |").contains("| b v2 loss 0.250 |");
  }

  @Test
  void aTrainingJobsSummaryPointsToItsReport() throws Exception {
    JobSpec main = JobSpecParser.parse(Path.of("jobs/train-conv2d.yaml"), List.of());
    assertThat(Summary.reportCommand(main)).isEqualTo(
        "streamgrad report out/train-conv2d/snapshots --spec " + main.file() + " -o out/train-conv2d/report.html");
    JobSpec forward = JobSpecParser.parse(Path.of("jobs/conv2d-forward.yaml"), List.of());
    assertThat(Summary.reportCommand(forward)).isNull();
    JobSpec scored = JobSpecParser.parse(Path.of("jobs/serve-and-score.yaml"), List.of());
    assertThat(Summary.reportCommand(scored)).as("the scores draw the served loss").isEqualTo(
        "streamgrad report out/serve-and-score/snapshots out/serve-and-score/scores --spec " + scored.file()
            + " -o out/serve-and-score/report.html");
  }
}
