package dev.streamgrad.layers;

import static dev.streamgrad.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Gradcheck;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class Conv2dFunctionTest {

  static List<JsonNode> torchCases() {
    return Fixtures.cases("layers/conv2d.json");
  }

  @ParameterizedTest
  @MethodSource("torchCases")
  void forwardAndGradientsEqualTorchConv2d(JsonNode c) {
    Tensor input = Fixtures.tensor(c.get("input")).requiresGrad(true);
    Tensor filter = Fixtures.tensor(c.get("filter")).requiresGrad(true);
    Tensor bias = Fixtures.tensor(c.get("bias")).requiresGrad(true);

    Tensor out = new Conv2dFunction().apply(input, filter, bias);
    out.backward(Fixtures.tensor(c.get("gradOutput")));

    assertClose(out, Fixtures.tensor(c.get("output")), 1e-10);
    assertClose(input.grad(), Fixtures.tensor(c.get("gradInput")), 1e-10);
    assertClose(filter.grad(), Fixtures.tensor(c.get("gradFilter")), 1e-10);
    assertClose(bias.grad(), Fixtures.tensor(c.get("gradBias")), 1e-10);
  }

  @ParameterizedTest
  @CsvSource({"10,10,3,3", "8,12,2,5", "7,7,7,7", "1,9,1,3", "13,6,4,1", "5,5,1,1", "16,16,4,4", "11,7,5,2"})
  void gradcheckPassesForInputFilterAndBias(int h, int w, int kh, int kw) {
    Tensor input = Tensor.randn(h * 1000L + w, h, w).requiresGrad(true);
    Tensor filter = Tensor.randn(kh * 100L + kw, kh, kw).requiresGrad(true);
    Tensor bias = Tensor.randn(7, 1, 1).requiresGrad(true);

    assertThat(Gradcheck.gradcheck(new Conv2dFunction(), input, filter, bias)).isTrue();
  }

  @Test
  void noInputGradientIsComputedWhenTheInputDoesNotNeedOne() {
    Tensor input = Tensor.randn(1, 6, 6);
    Tensor filter = Tensor.randn(2, 3, 3).requiresGrad(true);
    Tensor bias = Tensor.zeros(1, 1).requiresGrad(true);

    new Conv2dFunction().apply(input, filter, bias).sum().backward();

    assertThat(input.grad()).isNull();
    assertThat(filter.grad().shape()).containsExactly(3, 3);
    assertThat(bias.grad().item()).isEqualTo(16.0);
  }

  @Test
  void inputSmallerThanTheFilterIsRejectedWithBothShapes() {
    assertThatThrownBy(() -> new Conv2dFunction().apply(Tensor.zeros(2, 5), Tensor.zeros(3, 3), Tensor.zeros(1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 5]")
        .hasMessageContaining("[3, 3]");
  }

  @Test
  void biasMustHaveOneElement() {
    assertThatThrownBy(() -> new Conv2dFunction().apply(Tensor.zeros(4, 4), Tensor.zeros(3, 3), Tensor.zeros(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bias must have one element, got shape [2]");
  }
}
