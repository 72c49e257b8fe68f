package dev.streamgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.MseLoss;
import dev.streamgrad.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OptimizerTest {
  private static final Tensor X = Tensor.of(new double[] {0.5, -1, 2, 1.5}, 2, 2);
  private static final Tensor Y = Tensor.of(new double[] {1, 0, -1, 2}, 2, 2);

  private static Parameter param() {
    return new Parameter(Tensor.of(new double[] {0.1, 0.2, -0.3, 0.4}, 2, 2));
  }

  private static void step(Optimizer opt, Parameter w) {
    opt.zeroGrad();
    MseLoss.mseLoss(w.mul(X), Y).backward();
    opt.step();
  }

  @Test
  void plainSgdStepIsMinusLrTimesGrad() {
    Parameter w = param();
    Sgd sgd = new Sgd(List.of(w), 0.5);
    MseLoss.mseLoss(w.mul(X), Y).backward();
    double[] before = w.toArray();
    double[] grad = w.grad().toArray();
    sgd.step();

    for (int k = 0; k < 4; k++) {
      assertThat(w.get(k / 2, k % 2)).isEqualTo(before[k] - 0.5 * grad[k]);
    }
    assertThat(w.requiresGrad()).isTrue();
    assertThat(w.isLeaf()).isTrue();
  }

  @Test
  void parametersWithoutGradientAreSkipped() {
    Parameter used = param();
    Parameter unused = param();
    Adam adam = new Adam(List.of(used, unused), 0.1);
    step(adam, used);

    assertThat(unused.toArray()).containsExactly(param().toArray());
    assertThat(adam.stateDict()).containsKeys("0.step", "0.exp_avg", "0.exp_avg_sq").doesNotContainKey("1.step");
  }

  @Test
  void stepBumpsTheParameterVersionSoStaleGraphsAreCaught() {
    Parameter w = param();
    Sgd sgd = new Sgd(List.of(w), 0.1);
    Tensor staleLoss = MseLoss.mseLoss(w.mul(X), Y);
    step(sgd, w);

    assertThatThrownBy(staleLoss::backward).hasMessageContaining("modified by an inplace operation");
  }

  @Test
  void zeroGradClearsGradients() {
    Parameter w = param();
    Sgd sgd = new Sgd(List.of(w), 0.1);
    MseLoss.mseLoss(w.mul(X), Y).backward();
    sgd.zeroGrad();

    assertThat(w.grad()).isNull();
    assertThat(sgd.parameters()).containsExactly(w);
  }

  @Test
  void resumingFromTheStateDictContinuesTheSameTrajectory() {
    for (Function<List<Parameter>, Optimizer> make : List.<Function<List<Parameter>, Optimizer>>of(
        ps -> new Sgd(ps, 0.05, 0.9, 0.1, 0.01, false, false),
        ps -> new Sgd(ps, 0.05, 0.9, 0, 0, true, false),
        ps -> new Adam(ps, 0.05, 0.8, 0.99, 1e-8, 0.01, true, false))) {
      Parameter straight = param();
      Optimizer a = make.apply(List.of(straight));
      for (int i = 0; i < 20; i++) {
        step(a, straight);
      }

      Parameter first = param();
      Optimizer b = make.apply(List.of(first));
      for (int i = 0; i < 10; i++) {
        step(b, first);
      }
      Map<String, double[]> saved = b.stateDict();
      Parameter resumed = new Parameter(first);
      Optimizer c = make.apply(List.of(resumed));
      c.loadStateDict(saved);
      for (int i = 0; i < 10; i++) {
        step(c, resumed);
      }

      assertThat(resumed.toArray()).containsExactly(straight.toArray());
    }
  }

  @Test
  void stateDictIsACopy() {
    Parameter w = param();
    Adam adam = new Adam(List.of(w), 0.1);
    step(adam, w);
    adam.stateDict().get("0.exp_avg")[0] = 1e9;

    assertThat(adam.stateDict().get("0.exp_avg")[0]).isNotEqualTo(1e9);
  }

  @Test
  void loadStateDictRejectsForeignState() {
    Adam adam = new Adam(List.of(param()), 0.1);

    assertThatThrownBy(() -> adam.loadStateDict(Map.of("3.exp_avg", new double[4])))
        .hasMessageContaining("names parameter 3 but the optimizer has 1");
    assertThatThrownBy(() -> adam.loadStateDict(Map.of("0.exp_avg", new double[3])))
        .hasMessageContaining("has 3 values").hasMessageContaining("[2, 2]").hasMessageContaining("needs 4");
    assertThatThrownBy(() -> adam.loadStateDict(Map.of("x.exp_avg", new double[4])))
        .hasMessageContaining("bad optimizer state key 'x.exp_avg'");
  }

  @Test
  void invalidHyperparametersAreRejectedLikeTorch() {
    List<Parameter> ps = List.of(param());
    assertThatThrownBy(() -> new Sgd(ps, -0.1)).hasMessage("Invalid learning rate value: -0.1");
    assertThatThrownBy(() -> new Sgd(ps, 0.1, -1, 0, 0, false, false)).hasMessage("Invalid momentum value: -1.0");
    assertThatThrownBy(() -> new Sgd(ps, 0.1, 0, 0, -1, false, false)).hasMessage("Invalid weight_decay value: -1.0");
    assertThatThrownBy(() -> new Sgd(ps, 0.1, 0, 0, 0, true, false))
        .hasMessageContaining("Nesterov momentum requires a momentum and zero dampening");
    assertThatThrownBy(() -> new Sgd(ps, 0.1, 0.9, 0.5, 0, true, false)).hasMessageContaining("Nesterov");
    assertThatThrownBy(() -> new Adam(ps, 0.1, 1.0, 0.999, 1e-8, 0, false, false))
        .hasMessage("Invalid beta parameter at index 0: 1.0");
    assertThatThrownBy(() -> new Adam(ps, 0.1, 0.9, -0.1, 1e-8, 0, false, false))
        .hasMessage("Invalid beta parameter at index 1: -0.1");
    assertThatThrownBy(() -> new Adam(ps, 0.1, 0.9, 0.999, -1e-8, 0, false, false))
        .hasMessage("Invalid epsilon value: -1.0E-8");
    assertThatThrownBy(() -> new Adam(ps, Double.NaN)).hasMessage("Invalid learning rate value: NaN");
    assertThatThrownBy(() -> new Adam(List.of(), 0.1)).hasMessageContaining("empty parameter list");
  }

  @Test
  void trainingReducesTheLoss() {
    Parameter w = param();
    Adam adam = new Adam(List.of(w), 0.05);
    double first = MseLoss.mseLoss(w.mul(X), Y).item();
    for (int i = 0; i < 200; i++) {
      step(adam, w);
    }

    assertThat(MseLoss.mseLoss(w.mul(X), Y).item()).isLessThan(first / 100);
  }
}
