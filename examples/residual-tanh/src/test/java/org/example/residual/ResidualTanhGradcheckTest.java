package org.example.residual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Gradcheck;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.layers.Conv2dFunction;
import dev.streamgrad.nn.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Gradients checked against central differences in double precision: the user's Function alone,
 * and the whole layer with respect to its input and every parameter, on even, odd, prime,
 * power-of-two and 1xN sizes.
 */
class ResidualTanhGradcheckTest {
  private static Tensor leaf(Tensor t) {
    return new Parameter(t);
  }

  @ParameterizedTest(name = "scaled tanh of {0}x{1}")
  @CsvSource({"4, 6", "5, 7", "1, 13", "8, 8", "3, 1"})
  void scaledTanhFunction(int h, int w) {
    assertThat(Gradcheck.gradcheck(new ScaledTanhFunction(), leaf(Tensor.randn(h * 31L + w, h, w)),
        leaf(Tensor.wrap(new double[] {0.7}, 1)))).isTrue();
  }

  @ParameterizedTest(name = "layer on {0}x{1} with kernel {2}x{3}")
  @CsvSource({"6, 8, 3, 3", "7, 9, 2, 3", "5, 13, 1, 4", "8, 8, 4, 4", "11, 3, 3, 1"})
  void theWholeLayer(int h, int w, int kh, int kw) {
    long seed = h * 1000L + w * 100 + kh * 10 + kw;
    assertThat(Gradcheck.withDefaults().check(in -> new Tensor[] {layer(in)},
        leaf(Tensor.randn(seed, h, w)), leaf(Tensor.randn(seed + 1, kh, kw)),
        leaf(Tensor.randn(seed + 2, 1, 1)), leaf(Tensor.wrap(new double[] {0.8}, 1)),
        leaf(Tensor.wrap(new double[] {-0.3}, 1)))).isTrue();
  }

  /** The layer's forward with every parameter an input of the check. */
  private static Tensor layer(Tensor[] in) {
    Tensor x = in[0];
    int kh = in[1].size(0);
    int kw = in[1].size(1);
    Tensor conv = new Conv2dFunction().apply(x, in[1], in[2]);
    Tensor crop = x.narrow(0, kh / 2, conv.size(0)).narrow(1, kw / 2, conv.size(1));
    return new ScaledTanhFunction().apply(conv, in[3]).add(crop.mul(in[4]));
  }

  @Test
  void theModuleChecksItsInputAndKnowsItsOutputShape() {
    ResidualTanh m = new ResidualTanh(Tensor.randn(1L, 3, 2), Tensor.full(0, 1, 1), Tensor.full(1, 1),
        Tensor.full(0.5, 1));
    assertThat(m.outputShape(7, 9)).containsExactly(5, 8);
    assertThat(m.forward(Tensor.randn(2L, 7, 9)).shape()).containsExactly(5, 8);
    assertThat(m.namedParameters().keySet()).containsExactly("weight", "bias", "scale", "skip");
    assertThatThrownBy(() -> m.forward(Tensor.randn(2L, 2, 9))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("residual-tanh input of shape [2, 9] is smaller than the kernel of shape [3, 2]");
    assertThatThrownBy(() -> m.forward(Tensor.randn(2L, 9))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("residual-tanh input: expected a 2-D tensor but got shape [9]");
  }
}
