package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.InvalidRecordException;
import dev.streamgrad.signal.Correlation;
import dev.streamgrad.signal.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The guards against one record wrecking a model: the loss-spike guard refuses an outlier and leaves
 * the model exactly as if the record had not come, starts over when the stream really changed, and
 * gradient clipping bounds the step of an outlier that arrives before the guard judges. (Clipping's
 * numbers against torch.nn.utils.clip_grad_norm_ are in the trainer parity fixtures.)
 */
class TrainingGuardsTest {
  private static final double[][] TRUE = {{0.5, -1, 0.25}, {2, 0.75, -0.5}, {1, 0, -1.5}};
  private static final LayerSpec LAYER = Conv2dSpec.explicit(new double[][] {{0, 0, 0}, {0, 0, 0},
      {0, 0, 0}}, 0);

  private record Example(Tensor input, Tensor target) {}

  private static List<Example> stream(int n, long seed) {
    Random rng = new Random(seed);
    Tensor filter = Tensor.of2d(TRUE);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Tensor x = Tensor.randn(rng, 12, 12);
      out.add(new Example(x, Correlation.correlate2d(x, filter, Mode.VALID).add(Tensor.scalar(0.3))));
    }
    return out;
  }

  private static Example outlier() {
    // the case: a finite input holding 3e38
    Tensor x = Tensor.randn(new Random(9), 12, 12);
    double[] v = x.toArray();
    v[17] = 3e38;
    return new Example(Tensor.wrap(v, 12, 12), Tensor.zeros(10, 10));
  }

  private static TrainConfig config(GradClip clip, LossGuard guard) {
    return new TrainConfig(OptimizerSpec.sgd(0.01, 0, 0, 0, false), 1, 1000, clip, guard);
  }

  /** Trains on {@code records}; returns the dead letters' reasons. */
  private static List<String> train(ModelTrainer t, TrainerState s, List<Example> records) throws Exception {
    List<String> dead = new ArrayList<>();
    for (Example e : records) {
      try {
        t.offer(s, e.input(), e.target(), 0);
      } catch (InvalidRecordException ex) {
        dead.add(ex.reason());
      }
    }
    return dead;
  }

  @Test
  void anOutlierIsRefusedAndTheModelIsExactlyAsIfItHadNotCome() throws Exception {
    LossGuard guard = new LossGuard(100, 50, 10, 5);
    List<Example> clean = stream(200, 1);
    List<Example> withOutlier = new ArrayList<>(clean);
    withOutlier.add(120, outlier());
    ModelTrainer t = new ModelTrainer(LAYER, config(null, guard));
    TrainerState a = t.initialState();
    TrainerState b = t.initialState();
    assertThat(train(t, a, clean)).isEmpty();
    List<String> dead = train(t, b, withOutlier);
    assertThat(dead).singleElement().asString().contains("times the mean").contains("train.lossGuard")
        .contains("update skipped, model unchanged");
    assertThat(b.params.get("filter")).containsExactly(a.params.get("filter"));
    assertThat(b.params.get("bias")).containsExactly(a.params.get("bias"));
    assertThat(b.version).isEqualTo(a.version).isEqualTo(200);
  }

  @Test
  void withoutTheGuardTheOutlierWrecksTheModel() throws Exception {
    List<Example> records = new ArrayList<>(stream(200, 1));
    records.add(120, outlier());
    ModelTrainer t = new ModelTrainer(LAYER, config(null, null));
    TrainerState s = t.initialState();
    train(t, s, records);
    assertThat(maxError(s)).as("the issue's failure, reproduced").isGreaterThan(1e6);
  }

  @Test
  void anOutlierBeforeTheGuardJudgesMovesAClippedModelOnlyABoundedStep() throws Exception {
    List<Example> records = new ArrayList<>(stream(400, 2));
    records.add(3, outlier());
    ModelTrainer t = new ModelTrainer(LAYER, config(new GradClip(10, 2), new LossGuard(100, 50, 10, 5)));
    TrainerState s = t.initialState();
    double[] before = null;
    for (int i = 0; i < records.size(); i++) {
      if (i == 3) {
        before = s.params.get("filter").clone();
      }
      t.offer(s, records.get(i).input(), records.get(i).target(), 0);
      if (i == 3) {
        double step = 0;
        for (int k = 0; k < before.length; k++) {
          step += (s.params.get("filter")[k] - before[k]) * (s.params.get("filter")[k] - before[k]);
        }
        assertThat(Math.sqrt(step)).as("lr 0.01 x maxNorm 10").isLessThanOrEqualTo(0.1 + 1e-12);
      }
    }
    assertThat(maxError(s)).as("recovered").isLessThan(1e-3);
  }

  @Test
  void afterPatienceRefusalsInARowTheGuardTakesTheChangedStreamAsTheNewNormal() throws Exception {
    LossGuard guard = new LossGuard(100, 20, 5, 3);
    ModelTrainer t = new ModelTrainer(LAYER, config(null, guard));
    TrainerState s = t.initialState();
    assertThat(train(t, s, stream(300, 3))).isEmpty();
    List<Example> changed = new ArrayList<>();
    for (Example e : stream(50, 4)) {
      changed.add(new Example(e.input(), e.target().add(Tensor.scalar(50)))); // the bias jumped by 50
    }
    List<String> dead = train(t, s, changed);
    assertThat(dead).hasSize(3);
    assertThat(s.guardConsecutive).isZero();
    assertThat(s.records).isEqualTo(300 + 47);
  }

  @Test
  void badGuardSettingsAreRejected() {
    assertThatThrownBy(() -> new LossGuard(1, 10, 5, 1)).hasMessageContaining("factor");
    assertThatThrownBy(() -> new LossGuard(10, 10, 11, 1)).hasMessageContaining("minRecords");
    assertThatThrownBy(() -> new GradClip(0, 2)).hasMessageContaining("maxNorm");
    assertThatThrownBy(() -> new GradClip(1, 0.5)).hasMessageContaining("normType");
  }

  @Test
  void clippingScalesTheGradientsToMaxNormAsTorchDoes() {
    double[] w = {3, 4};
    double[] b = {12};
    double total = new GradClip(6.5, 2).clip(w, b);
    assertThat(total).isEqualTo(13);
    double coef = 6.5 / (13 + 1e-6);
    assertThat(w).containsExactly(3 * coef, 4 * coef);
    assertThat(b).containsExactly(12 * coef);
    double[] small = {0.1, 0.2};
    new GradClip(6.5, 2).clip(small);
    assertThat(small).containsExactly(0.1, 0.2);
    double[] inf = {-7, 2};
    assertThat(new GradClip(1, Double.POSITIVE_INFINITY).clip(inf)).isEqualTo(7);
    assertThat(inf).containsExactly(-7 * (1 / (7 + 1e-6)), 2 * (1 / (7 + 1e-6)));
  }

  private static double maxError(TrainerState s) {
    double max = 0;
    for (int k = 0; k < 9; k++) {
      max = Math.max(max, Math.abs(s.params.get("filter")[k] - TRUE[k / 3][k % 3]));
    }
    return max;
  }
}
