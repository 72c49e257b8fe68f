package dev.streamgrad.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Correlation#correlate2d(Tensor, Tensor, Mode, Tensor)} writes exactly the values of the
 * allocating call into {@code out}, whatever {@code out} held before, on every path: the register
 * blocks, the narrow (filter-gradient) blocks, the swapped and reversed valid correlation, and the
 * FFT; and refuses an {@code out} of another shape, naming all three shapes.
 */
class CorrelationIntoTest {

  @ParameterizedTest(name = "{0}x{1} * {2}x{3}")
  @CsvSource({
      "28, 28, 3, 3", "28, 28, 26, 26", "27, 29, 4, 5", "1, 31, 1, 3", "31, 1, 3, 1", "17, 16, 17, 16",
      "3, 3, 28, 28", "8, 8, 8, 8", "13, 7, 2, 7", "128, 128, 64, 64"})
  void intoEqualsTheAllocatingCallBitForBit(int rows, int cols, int kh, int kw) {
    Random rng = new Random(1000L * rows + 100L * cols + 10L * kh + kw);
    Tensor x = Tensor.randn(rng, rows, cols);
    Tensor h = Tensor.randn(rng, kh, kw);
    Tensor want = Correlation.correlate2d(x, h, Mode.VALID);
    double[] stale = new double[want.numel()];
    Arrays.fill(stale, Double.NaN); // whatever out held must not leak into the result
    Tensor out = Tensor.wrap(stale, want.shape());
    for (int round = 0; round < 2; round++) { // and again into the same out, as a stream of records does
      Tensor got = Correlation.correlate2d(x, h, Mode.VALID, out);
      assertThat(got).isSameAs(out);
      assertThat(got.toArray()).containsExactly(want.toArray());
    }
  }

  @Test
  void anOutOfAnotherShapeIsRefusedWithEveryShape() {
    Tensor x = Tensor.randn(new Random(1), 28, 28);
    Tensor h = Tensor.randn(new Random(2), 3, 3);
    assertThatThrownBy(() -> Correlation.correlate2d(x, h, Mode.VALID, Tensor.wrap(new double[676], 676, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("correlate2d of shapes [28, 28] and [3, 3] in mode VALID gives shape [26, 26], but out has"
            + " shape [676, 1]");
  }
}
