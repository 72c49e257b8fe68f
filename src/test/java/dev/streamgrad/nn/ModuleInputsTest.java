package dev.streamgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Gradcheck;
import dev.streamgrad.autograd.Tensor;
import org.junit.jupiter.api.Test;

/** Modules of several inputs, and the output shape a module reports for an input it can or cannot take. */
class ModuleInputsTest {
  /** {@code sigmoid(gate) * x + (1 - sigmoid(gate)) * skip}: two inputs, one parameter broadcast over both. */
  static final class GatedSum extends Module {
    final Parameter gate = registerParameter("gate", new Parameter(Tensor.wrap(new double[] {0.3}, 1)));

    @Override
    public Tensor forward(Tensor input) {
      throw new IllegalArgumentException("GatedSum takes two inputs: x and skip");
    }

    @Override
    public Tensor forward(Tensor... inputs) {
      if (inputs.length != 2) {
        return forward(inputs[0]);
      }
      return gated(inputs[0], inputs[1], gate);
    }

    static Tensor gated(Tensor x, Tensor skip, Tensor gate) {
      Tensor g = gate.sigmoid();
      return x.mul(g).add(skip.mul(g.neg().add(1)));
    }
  }

  /** A one-input module without its own outputShape: the default runs it on zeros. */
  static final class Crop extends Module {
    @Override
    public Tensor forward(Tensor input) {
      if (input.dim() != 2 || input.size(0) < 3 || input.size(1) < 3) {
        throw new IllegalArgumentException("crop needs a 2-D input of at least 3x3");
      }
      return input.narrow(0, 1, input.size(0) - 2).narrow(1, 1, input.size(1) - 2);
    }
  }

  @Test
  void aModuleOfTwoInputsHasGradientsForBothAndItsParameter() {
    GatedSum m = new GatedSum();
    Tensor x = Tensor.randn(1L, 3, 4).detach();
    Tensor skip = Tensor.randn(2L, 3, 4).detach();
    assertThat(Gradcheck.withDefaults().check(in -> new Tensor[] {GatedSum.gated(in[0], in[1], in[2])},
        leaf(x), leaf(skip), leaf(Tensor.wrap(new double[] {0.3}, 1)))).isTrue();

    Tensor out = m.forward(x, skip);
    out.sum().backward();
    assertThat(m.gate.grad().shape()).containsExactly(1);
    assertThat(out.shape()).containsExactly(3, 4);
  }

  private static Tensor leaf(Tensor t) {
    return new Parameter(t);
  }

  @Test
  void aModuleOfOneInputRefusesTwo() {
    assertThatThrownBy(() -> new Crop().forward(Tensor.zeros(3, 3), Tensor.zeros(3, 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Crop takes one input, got 2");
  }

  @Test
  void theDefaultOutputShapeRunsTheModuleWithoutAGraph() {
    assertThat(new Crop().outputShape(5, 7)).containsExactly(3, 5);
    assertThatThrownBy(() -> new Crop().outputShape(2, 7)).hasMessage("crop needs a 2-D input of at least 3x3");
    assertThatThrownBy(() -> new Crop().outputShape(0, 7)).hasMessageContaining("has a dimension below 1");
  }
}
