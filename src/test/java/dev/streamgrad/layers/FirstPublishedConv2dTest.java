package dev.streamgrad.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Gradcheck;
import dev.streamgrad.autograd.GradcheckException;
import dev.streamgrad.autograd.Tensor;
import org.junit.jupiter.api.Test;

/** The tutorial's first published backward, kept in the tests to show that gradcheck rejects it. */
class FirstPublishedConv2dTest {

  @Test
  void gradcheckRejectsTheFirstPublishedBackwardForTheInput() {
    Tensor input = Tensor.randn(3, 10, 10).requiresGrad(true);
    Tensor filter = Tensor.randn(4, 3, 3);
    Tensor bias = Tensor.randn(5, 1, 1);

    assertThatThrownBy(() -> Gradcheck.gradcheck(new FirstPublishedConv2dFunction(), input, filter, bias))
        .isInstanceOf(GradcheckException.class)
        .hasMessageContaining("with respect to input 0");
  }

  @Test
  void gradcheckRejectsTheFirstPublishedBackwardForTheFilter() {
    Tensor input = Tensor.randn(3, 10, 10);
    Tensor filter = Tensor.randn(4, 3, 3).requiresGrad(true);
    Tensor bias = Tensor.randn(5, 1, 1);

    boolean passed = Gradcheck.withDefaults().raiseException(false)
        .check(new FirstPublishedConv2dFunction()::applyAll, input, filter, bias);

    assertThat(passed).isFalse();
  }

  @Test
  void theCurrentBackwardPassesOnTheSameInputs() {
    Tensor input = Tensor.randn(3, 10, 10).requiresGrad(true);
    Tensor filter = Tensor.randn(4, 3, 3).requiresGrad(true);
    Tensor bias = Tensor.randn(5, 1, 1).requiresGrad(true);

    assertThat(Gradcheck.gradcheck(new Conv2dFunction(), input, filter, bias)).isTrue();
  }

  @Test
  void aNonSquareFilterGivesAnInputGradientOfTheWrongShapeWhichTheEngineRejects() {
    Tensor input = Tensor.randn(3, 10, 10).requiresGrad(true);
    Tensor filter = Tensor.randn(4, 2, 4);
    Tensor bias = Tensor.zeros(1, 1);

    Tensor out = new FirstPublishedConv2dFunction().apply(input, filter, bias);

    assertThatThrownBy(() -> out.sum().backward())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Function FirstPublishedConv2dFunctionBackward returned an invalid gradient at index 0"
            + " - got [12, 8] but expected shape compatible with [10, 10]");
  }
}
