package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.FftMagnitudeLayer;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.InvalidRecordException;
import org.junit.jupiter.api.Test;

/** The training step alone: initial state, rejected updates leave the state unchanged, partial batches. */
class ModelTrainerTest {
  private static final LayerSpec LAYER = Conv2dSpec.explicit(new double[][] {{1, 2}, {3, 4}}, 0.5);

  @Test
  void initialStateIsTheConfiguredFilter() {
    TrainerState s = new ModelTrainer(LAYER, new TrainConfig(OptimizerSpec.sgd(0.1, 0, 0, 0, false), 1, 1))
        .initialState();
    assertThat(s.params).containsOnlyKeys("filter", "bias");
    assertThat(s.params.get("filter")).containsExactly(1, 2, 3, 4);
    assertThat(s.params.get("bias")).containsExactly(0.5);
    assertThat(s.version).isZero();
    assertThat(s.optimizer).isEmpty();
  }

  @Test
  void anUpdateThatWouldMakeTheFilterNonFiniteIsRejected() throws Exception {
    ModelTrainer t = new ModelTrainer(LAYER, new TrainConfig(OptimizerSpec.sgd(1e308, 0.9, 0, 0, false), 1, 1));
    TrainerState s = t.initialState();
    TrainerState before = s.copy();
    Tensor x = Tensor.randn(1L, 4, 4).mul(1e3);
    assertThatThrownBy(() -> t.offer(s, x, Tensor.zeros(3, 3), 0))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageContaining("updated filter value")
        .hasMessageEndingWith("is not finite; update skipped, state unchanged");
    assertThat(s).usingRecursiveComparison().isEqualTo(before);
  }

  @Test
  void aPartialMiniBatchIsAppliedAtFlushWithTheMeanGradient() throws Exception {
    TrainConfig batched = new TrainConfig(OptimizerSpec.sgd(0.05, 0, 0, 0, false), 4, 1);
    TrainConfig single = new TrainConfig(OptimizerSpec.sgd(0.05, 0, 0, 0, false), 1, 1);
    ModelTrainer t = new ModelTrainer(LAYER, batched);
    TrainerState s = t.initialState();
    Tensor x1 = Tensor.randn(1L, 5, 4);
    Tensor x2 = Tensor.randn(2L, 5, 4);
    Tensor y1 = Tensor.randn(3L, 4, 3);
    Tensor y2 = Tensor.randn(4L, 4, 3);
    assertThat(t.offer(s, x1, y1, 1)).isFalse();
    assertThat(t.offer(s, x2, y2, 2)).isFalse();
    assertThat(s.version).isZero();
    assertThat(t.flush(s)).isTrue();
    assertThat(t.flush(s)).as("nothing pending any more").isFalse();
    assertThat(s.version).isEqualTo(1);
    assertThat(s.records).isEqualTo(2);
    assertThat(s.eventTime).isEqualTo(2);

    // the mean of the two gradients, by hand: two single-record gradients from the same start
    ModelTrainer one = new ModelTrainer(LAYER, single);
    TrainerState a = one.initialState();
    TrainerState b = one.initialState();
    one.offer(a, x1, y1, 1);
    one.offer(b, x2, y2, 2);
    TrainerState init = one.initialState();
    for (int k = 0; k < 4; k++) {
      double meanStep = ((init.params.get("filter")[k] - a.params.get("filter")[k]) + (init.params.get("filter")[k] - b.params.get("filter")[k])) / 2;
      assertThat(s.params.get("filter")[k]).isCloseTo(init.params.get("filter")[k] - meanStep, within(1e-12));
    }
  }

  @Test
  void aPartialBatchWhoseUpdateWouldOverflowIsDiscardedAtFlush() throws Exception {
    ModelTrainer t = new ModelTrainer(LAYER, new TrainConfig(OptimizerSpec.sgd(1e308, 0, 0, 0, false), 3, 1));
    TrainerState s = t.initialState();
    t.offer(s, Tensor.randn(1L, 4, 4).mul(1e3), Tensor.zeros(3, 3), 5);
    assertThat(s.batchCount).isEqualTo(1);
    assertThatThrownBy(() -> t.flush(s))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("partial mini-batch of 1 records at end of input: updated filter value");
    assertThat(s.batchCount).isZero();
    assertThat(s.batchGrads).isNull();
    assertThat(s.params.get("filter")).containsExactly(1, 2, 3, 4);
    assertThat(s.version).isZero();
  }

  @Test
  void rejectsALayerWithoutParameters() {
    assertThatThrownBy(() -> new ModelTrainer(new FftMagnitudeLayer(),
        new TrainConfig(OptimizerSpec.sgd(0.1, 0, 0, 0, false), 1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no parameters");
  }
}
