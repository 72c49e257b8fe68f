package dev.streamgrad.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.nn.Module;
import org.junit.jupiter.api.Test;

class Conv2dModuleTest {

  @Test
  void seededInitIsReproducibleAndRegistersFilterThenBias() {
    Conv2d a = new Conv2d(3, 3, 42);
    Conv2d b = new Conv2d(3, 3, 42);
    Conv2d c = new Conv2d(3, 3, 43);

    assertThat(a.namedParameters().keySet()).containsExactly("filter", "bias");
    assertThat(a.filter().shape()).containsExactly(3, 3);
    assertThat(a.bias().shape()).containsExactly(1, 1);
    assertThat(a.filter().toArray()).containsExactly(b.filter().toArray());
    assertThat(a.bias().item()).isEqualTo(b.bias().item());
    assertThat(a.filter().toArray()).isNotEqualTo(c.filter().toArray());
  }

  @Test
  void forwardIsTheValidCrossCorrelationPlusBias() {
    Conv2d conv = new Conv2d(Tensor.of2d(new double[][] {{1, 0}, {0, -1}}), Tensor.scalar(0.5));
    Tensor input = Tensor.of2d(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}});

    Tensor out = conv.forward(input);

    // out[i][j] = x[i][j] - x[i+1][j+1] + 0.5
    assertThat(out.toArray()).containsExactly(-3.5, -3.5, -3.5, -3.5);
    assertThat(out.gradFnName()).isEqualTo("Conv2dFunctionBackward");
  }

  @Test
  void layersCreateBuildsEachConfiguredLayer() {
    assertThat(new FftMagnitudeLayer().create()).isInstanceOf(FftMagnitude.class);
    assertThat(new BadFftLayer().create()).isInstanceOf(BadFft.class);
    Module seeded = Conv2dSpec.seeded(3, 5, 7).create();
    assertThat(((Conv2d) seeded).filter().shape()).containsExactly(3, 5);
    Module explicit = Conv2dSpec.explicit(new double[][] {{1, 2}}, -1).create();
    assertThat(((Conv2d) explicit).filter().toArray()).containsExactly(1, 2);
    assertThat(((Conv2d) explicit).bias().item()).isEqualTo(-1);
  }

  @Test
  void badInitialisationIsRejected() {
    assertThatThrownBy(() -> new Conv2d(0, 3, 1)).hasMessageContaining("at least 1x1, got 0x3");
    assertThatThrownBy(() -> new Conv2d(Tensor.zeros(3), Tensor.zeros(1, 1))).hasMessageContaining("[3]");
  }
}
