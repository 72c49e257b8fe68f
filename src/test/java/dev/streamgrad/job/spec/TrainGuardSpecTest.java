package dev.streamgrad.job.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.config.SpecException;
import dev.streamgrad.flink.GradClip;
import dev.streamgrad.flink.LossGuard;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code train.clipGradNorm} and {@code train.lossGuard} keys: defaults, and errors naming the key. */
class TrainGuardSpecTest {
  private static final String TRAIN = String.join("\n",
      "name: t",
      "source: {type: generator, count: 100, keys: [a], shape: [8, 8], seed: 3}",
      "layer: {type: conv2d, kernel: [3, 3], init: {seed: 1}}",
      "train:",
      "  optimizer: {type: sgd, lr: 0.01}",
      "sink: {type: avro-file, path: out/t}",
      "");

  private static JobSpec parse(String... sets) throws SpecException {
    return JobSpecParser.parse("jobs/x.yaml", "x", TRAIN, List.of(sets));
  }

  private static void fails(String message, String... sets) {
    assertThatThrownBy(() -> parse(sets)).isInstanceOf(SpecException.class).hasMessage(message);
  }

  @Test
  void guardsAreOffUnlessTheSpecAsks() throws SpecException {
    assertThat(parse().train().clip()).isNull();
    assertThat(parse().train().lossGuard()).isNull();
  }

  @Test
  void guardsTakeTorchsDefaultsAndTheirOwn() throws SpecException {
    JobSpec s = parse("train.clipGradNorm={maxNorm: 5}", "train.lossGuard={}");
    assertThat(s.train().clip()).isEqualTo(new GradClip(5, 2));
    assertThat(s.train().lossGuard()).isEqualTo(new LossGuard(100, 100, 10, 10));
    JobSpec t = parse("train.clipGradNorm.maxNorm=0.5", "train.clipGradNorm.normType=inf",
        "train.lossGuard={factor: 20, window: 8, minRecords: 3, patience: 2}");
    assertThat(t.train().clip()).isEqualTo(new GradClip(0.5, Double.POSITIVE_INFINITY));
    assertThat(t.train().lossGuard()).isEqualTo(new LossGuard(20, 8, 3, 2));
    assertThat(t.train().toString()).contains("clipGradNorm(maxNorm=0.5, normType=Infinity)")
        .contains("lossGuard(factor=20.0, window=8, minRecords=3, patience=2)");
  }

  @Test
  void badGuardValuesNameTheirKey() {
    fails("jobs/x.yaml: train.clipGradNorm.maxNorm: missing (required for clipGradNorm)", "train.clipGradNorm={}");
    fails("jobs/x.yaml: train.clipGradNorm.normType: must be at least 1, or inf, got 0.5",
        "train.clipGradNorm={maxNorm: 1, normType: 0.5}");
    fails("jobs/x.yaml: train.lossGuard.factor: must be a finite number above 1, got 1",
        "train.lossGuard={factor: 1}");
    fails("jobs/x.yaml: train.lossGuard.minRecords: must be at most window (5), got 6",
        "train.lossGuard={window: 5, minRecords: 6}");
    assertThatThrownBy(() -> parse("train.lossGuard={factr: 3}")).isInstanceOf(SpecException.class)
        .hasMessageContaining("train.lossGuard.factr: unknown key");
  }
}
