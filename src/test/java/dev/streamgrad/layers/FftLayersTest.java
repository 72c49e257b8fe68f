package dev.streamgrad.layers;

import static dev.streamgrad.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Gradcheck;
import dev.streamgrad.autograd.GradcheckException;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FftLayersTest {

  static List<JsonNode> badFftCases() {
    return Fixtures.cases("layers/bad_fft.json");
  }

  static List<JsonNode> fftMagnitudeCases() {
    return Fixtures.cases("layers/fft_magnitude.json");
  }

  @ParameterizedTest
  @MethodSource("badFftCases")
  void badFftForwardAndBackwardEqualNumpy(JsonNode c) {
    Tensor input = Fixtures.tensor(c.get("input")).requiresGrad(true);

    Tensor out = new BadFft().forward(input);
    out.backward(Fixtures.tensor(c.get("gradOutput")));

    assertClose(out, Fixtures.tensor(c.get("output")), 1e-10);
    assertClose(input.grad(), Fixtures.tensor(c.get("gradInput")), 1e-10);
  }

  @Test
  void badFftBackwardOnAnOddWidthIsRejectedAsPyTorchRejectsIt() {
    Tensor input = Tensor.randn(1, 7, 7).requiresGrad(true);
    Tensor out = new BadFft().forward(input);
    assertThat(out.shape()).containsExactly(7, 4);

    assertThatThrownBy(() -> out.backward(Tensor.randn(2, 7, 4)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Function BadFFTFunctionBackward returned an invalid gradient at index 0"
            + " - got [7, 6] but expected shape compatible with [7, 7]");
  }

  @Test
  void badFftFailsGradcheckBecauseItsBackwardIsWrong() {
    Tensor input = Tensor.randn(3, 8, 8).requiresGrad(true);

    assertThatThrownBy(() -> Gradcheck.gradcheck(new BadFftFunction(), input))
        .isInstanceOf(GradcheckException.class)
        .hasMessageContaining("Jacobian mismatch for output 0 with respect to input 0");
  }

  @ParameterizedTest
  @MethodSource("fftMagnitudeCases")
  void fftMagnitudeForwardAndGradientEqualTorchAutograd(JsonNode c) {
    Tensor input = Fixtures.tensor(c.get("input")).requiresGrad(true);

    Tensor out = new FftMagnitude().forward(input);
    out.backward(Fixtures.tensor(c.get("gradOutput")));

    assertClose(out, Fixtures.tensor(c.get("output")), 1e-10);
    assertClose(input.grad(), Fixtures.tensor(c.get("gradInput")), 1e-10);
  }

  /** Even, odd, prime, power-of-two, 1xN and Nx1 shapes. */
  @ParameterizedTest
  @CsvSource({"8,8", "6,10", "7,7", "5,9", "13,11", "16,16", "1,8", "1,7", "9,1", "1,1", "2,3", "4,2"})
  void fftMagnitudePassesGradcheck(int h, int w) {
    Tensor input = Tensor.randn(31L * h + w, h, w).requiresGrad(true);

    assertThat(Gradcheck.gradcheck(new FftMagnitudeFunction(), input)).isTrue();
  }

  @Test
  void fftMagnitudeUsesTheZeroSubgradientWhereTheSpectrumVanishes() {
    Tensor input = Tensor.zeros(4, 6).requiresGrad(true);

    new FftMagnitude().forward(input).sum().backward();

    assertThat(input.grad().toArray()).containsOnly(0.0);
  }

  @Test
  void fftLayersRejectNonMatrixInput() {
    assertThatThrownBy(() -> new FftMagnitude().forward(Tensor.zeros(2, 3, 4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[2, 3, 4]");
  }
}
