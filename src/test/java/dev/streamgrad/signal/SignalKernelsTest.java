package dev.streamgrad.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.streamgrad.autograd.Tensor;
import org.junit.jupiter.api.Test;
import org.visnow.jlargearrays.ConcurrencyUtils;

/** Contracts beyond the numpy/scipy fixtures: error texts, the valid-mode swap, threads, method choice. */
class SignalKernelsTest {

  @Test
  void validModeNeedsOneInputAtLeastAsLargeInEveryDimension() {
    Tensor a = Tensor.randn(1, 5, 3);
    Tensor b = Tensor.randn(2, 3, 5);
    assertThatThrownBy(() -> Correlation.correlate2d(a, b, Mode.VALID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("For 'valid' mode, one must be at least as large as the other in every dimension;"
            + " got shapes [5, 3] and [3, 5]");
    assertThat(Correlation.correlate2d(a, b, Mode.FULL).shape()).containsExactly(7, 7);
    assertThat(Correlation.convolve2d(a, b, Mode.SAME).shape()).containsExactly(5, 3);
  }

  @Test
  void validModeSwapsALargerSecondInputAndCorrelationReversesTheResult() {
    Tensor small = Tensor.randn(3, 3, 2);
    Tensor big = Tensor.randn(4, 6, 5);
    for (Method method : new Method[] {Method.DIRECT, Method.FFT}) {
      Tensor swapped = Correlation.correlate2d(small, big, Mode.VALID, Boundary.FILL, 0, method);
      Tensor plain = Correlation.correlate2d(big, small, Mode.VALID, Boundary.FILL, 0, method);
      // corr(small, big) = reverse(corr(big, small)), both as scipy computes them
      double[] p = plain.buffer();
      double[] s = swapped.buffer();
      assertThat(swapped.shape()).containsExactly(4, 4);
      for (int i = 0; i < p.length; i++) {
        assertThat(s[i]).isCloseTo(p[p.length - 1 - i], offset(1e-12));
      }
      assertThat(Correlation.convolve2d(small, big, Mode.VALID, Boundary.FILL, 0, method).buffer())
          .containsExactly(Correlation.convolve2d(big, small, Mode.VALID, Boundary.FILL, 0, method).buffer(),
              offset(1e-12));
    }
  }

  @Test
  void badShapesAndFlagsAreClearErrors() {
    assertThatThrownBy(() -> Correlation.convolve2d(Tensor.zeros(2, 2, 2), Tensor.zeros(2, 2), Mode.FULL))
        .hasMessage("convolve2d inputs must both be 2-D arrays, got shapes [2, 2, 2] and [2, 2]");
    assertThatThrownBy(() -> Correlation.correlate2d(Tensor.zeros(0, 3), Tensor.zeros(2, 2), Mode.FULL))
        .hasMessage("correlate2d inputs must not be empty, got shapes [0, 3] and [2, 2]");
    assertThatThrownBy(() -> Mode.of("middle")).hasMessageStartingWith("Acceptable mode flags are 'valid', 'same', or 'full'");
    assertThatThrownBy(() -> Boundary.of("zero")).hasMessageStartingWith("Acceptable boundary flags are 'fill'");
    assertThatThrownBy(() -> Method.of("fast")).hasMessageStartingWith("Acceptable method flags are 'auto'");
    assertThatThrownBy(() -> Norm.of("none")).hasMessageStartingWith("Invalid norm value none");
    assertThat(Boundary.of("circular")).isEqualTo(Boundary.WRAP);
    assertThat(Boundary.of("symmetric")).isEqualTo(Boundary.SYMM);
    assertThat(Norm.of(null)).isEqualTo(Norm.BACKWARD);
  }

  @Test
  void fftSizesAreChecked() {
    assertThatThrownBy(() -> Fft.rfft2(Tensor.zeros(4)))
        .hasMessage("rfft2 needs a 2-D tensor, got shape [4]");
    assertThatThrownBy(() -> Fft.rfft2(Tensor.zeros(4, 4), new int[] {0, 4}, Norm.BACKWARD))
        .hasMessage("Invalid number of FFT data points [0, 4] for rfft2");
    ComplexTensor narrow = new ComplexTensor(new double[3], new double[3], new int[] {3, 1});
    assertThatThrownBy(() -> Fft.irfft2(narrow))
        .hasMessageStartingWith("Invalid number of FFT data points (0) specified: irfft2 of a spectrum of shape [3, 1]");
    assertThat(Fft.irfft2(narrow, new int[] {3, 1}, Norm.BACKWARD).shape()).containsExactly(3, 1);
  }

  @Test
  void fftsAreSingleThreadedByDefaultAndTheSplitTransformGivesTheSameNumbers() {
    assertThat(System.getProperty(FftThreads.PROPERTY)).isNull();
    assertThat(FftThreads.get()).isEqualTo(1);
    assertThat(ConcurrencyUtils.getNumberOfThreads()).isEqualTo(1);
    // 300 rows: the transposing engine; 256 rows: the power-of-two one; the power-of-two s of a
    // 600 x 256 input (1024 x 256): RowFft over several bands of rows, split over the threads
    for (int[] shape : new int[][] {{300, 270}, {256, 270}, {600, 256}}) {
      int rows = shape[0];
      int cols = shape[1];
      Tensor x = Tensor.randn(7, rows, cols);
      Tensor k = Tensor.randn(8, 9, 11);
      int[] s = {rows, cols};
      ComplexTensor serial = Fft.rfft2(x);
      ComplexTensor serialPow2 = Fft.rfft2(x, new int[] {Integer.highestOneBit(rows) * 2, cols}, Norm.ORTHO);
      Tensor serialInverse = Fft.irfft2(serial, s, Norm.BACKWARD);
      Tensor serialCorr = Correlation.correlate2d(x, k, Mode.VALID, Boundary.FILL, 0, Method.FFT);
      try {
        FftThreads.set(2);
        assertThat(ConcurrencyUtils.getNumberOfThreads()).isEqualTo(2);
        ComplexTensor parallel = Fft.rfft2(x);
        assertThat(parallel.re()).containsExactly(serial.re());
        assertThat(parallel.im()).containsExactly(serial.im());
        int[] pow2 = {Integer.highestOneBit(rows) * 2, cols};
        assertThat(Fft.rfft2(x, pow2, Norm.ORTHO).re()).containsExactly(serialPow2.re());
        assertThat(Fft.irfft2(parallel, s, Norm.BACKWARD).buffer()).containsExactly(serialInverse.buffer());
        assertThat(Correlation.correlate2d(x, k, Mode.VALID, Boundary.FILL, 0, Method.FFT).buffer())
            .containsExactly(serialCorr.buffer());
      } finally {
        FftThreads.set(1);
      }
      assertThat(serialInverse.allClose(x, 1e-12, 1e-12)).isTrue();
    }
    assertThatThrownBy(() -> FftThreads.set(0)).hasMessage("FFT threads must be at least 1, got 0");
  }

  @Test
  void autoPicksDirectForSmallKernelsAndFftForLargeOnes() {
    assertThat(Correlation.chooseMethod(new int[] {28, 28}, new int[] {3, 3}, Mode.VALID)).isEqualTo(Method.DIRECT);
    assertThat(Correlation.chooseMethod(new int[] {256, 256}, new int[] {5, 5}, Mode.FULL)).isEqualTo(Method.DIRECT);
    assertThat(Correlation.chooseMethod(new int[] {256, 256}, new int[] {5, 5}, Mode.VALID)).isEqualTo(Method.DIRECT);
    assertThat(Correlation.chooseMethod(new int[] {512, 512}, new int[] {31, 31}, Mode.FULL)).isEqualTo(Method.FFT);
    assertThat(Correlation.chooseMethod(new int[] {512, 512}, new int[] {31, 31}, Mode.VALID)).isEqualTo(Method.FFT);
  }

  @Test
  void fastFftLengthsAreTheNextProductsOfTwoThreeAndFive() {
    assertThat(FftPlans.fastSize(1)).isEqualTo(1);
    assertThat(FftPlans.fastSize(7)).isEqualTo(8);
    assertThat(FftPlans.fastSize(31)).isEqualTo(32);
    assertThat(FftPlans.fastSize(542)).isEqualTo(576);
    assertThat(FftPlans.fastSize(1025)).isEqualTo(1080);
    assertThat(FftPlans.fastSize(97)).isEqualTo(100);
  }

  @Test
  void repeatedCallsOfDifferentSizesOnOneThreadDoNotShareState() {
    // the per-thread scratch buffers are reused: results must not depend on the previous call
    Tensor big = Tensor.randn(3, 40, 36);
    Tensor small = Tensor.randn(4, 5, 6);
    ComplexTensor first = Fft.rfft2(small);
    Fft.rfft2(big);
    Correlation.correlate2d(big, small, Mode.FULL, Boundary.WRAP, 0, Method.FFT);
    ComplexTensor again = Fft.rfft2(small);
    assertThat(again.re()).containsExactly(first.re());
    assertThat(again.im()).containsExactly(first.im());
  }
}
