package dev.streamgrad.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every numpy FFT fixture again, with {@link FftEngine#JTRANSFORMS} (JTransforms for every size,
 * power-of-two row counts included), and both engines against each other.
 */
class JTransformsEngineFixtureTest extends FftFixtureTest {
  @BeforeAll
  static void useJTransforms() {
    FftEngine.set(FftEngine.JTRANSFORMS);
  }

  @AfterAll
  static void backToTheDefault() {
    FftEngine.set(FftEngine.FAST);
  }

  @Test
  void bothEnginesGiveTheSameSpectraAndCorrelations() {
    Random rng = new Random(5);
    for (int[] shape : new int[][] {{256, 256}, {64, 48}, {16, 9}, {1024, 8}}) {
      Tensor x = Tensor.randn(rng, shape[0], shape[1]);
      Tensor h = Tensor.randn(rng, 7, 5);
      FftEngine.set(FftEngine.FAST);
      ComplexTensor fast = Fft.rfft2(x);
      Tensor fastBack = Fft.irfft2(fast, shape, Norm.BACKWARD);
      Tensor fastCorr = Correlation.correlate2d(x, h, Mode.SAME, Boundary.FILL, 0.0, Method.FFT);
      FftEngine.set(FftEngine.JTRANSFORMS);
      ComplexTensor jt = Fft.rfft2(x);
      Tensor jtBack = Fft.irfft2(jt, shape, Norm.BACKWARD);
      Tensor jtCorr = Correlation.correlate2d(x, h, Mode.SAME, Boundary.FILL, 0.0, Method.FFT);
      double scale = shape[0] * shape[1];
      assertClose(fast.re(), jt.re(), 1e-12 * scale);
      assertClose(fast.im(), jt.im(), 1e-12 * scale);
      assertClose(fastBack.toArray(), jtBack.toArray(), 1e-12);
      assertClose(fastBack.toArray(), x.toArray(), 1e-12);
      assertClose(fastCorr.toArray(), jtCorr.toArray(), 1e-10);
    }
  }

  @Test
  void nullIsNotAnEngine() {
    assertThatThrownBy(() -> FftEngine.set(null)).hasMessage("FFT engine must not be null");
    assertThat(FftEngine.current()).isEqualTo(FftEngine.JTRANSFORMS);
  }

  private static void assertClose(double[] a, double[] b, double tolerance) {
    assertThat(a).hasSameSizeAs(b);
    for (int i = 0; i < a.length; i++) {
      assertThat(Math.abs(a[i] - b[i])).as("element %d: %s vs %s", i, a[i], b[i]).isLessThanOrEqualTo(tolerance);
    }
  }
}
