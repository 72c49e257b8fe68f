package dev.streamgrad.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.streamgrad.autograd.Tensor;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct path's register-blocked interior (eight-wide row blocks with an overlapping last
 * block, 3x3 output blocks plus the outputs around them) against a naive reference, on shapes that
 * hit every branch: rows narrower than, exactly, and just over a block, output sizes that are and
 * are not multiples of three, 1xN and Nx1, and convolutions (rotated kernels).
 */
class DirectCorrelationBlocksTest {

  static Stream<Arguments> shapes() {
    int[][] pairs = {
        {28, 28, 3, 3}, {28, 28, 26, 26}, {28, 28, 24, 24}, {28, 28, 25, 27}, {9, 9, 2, 2}, {8, 8, 1, 1},
        {15, 16, 1, 8}, {16, 15, 8, 1}, {1, 31, 1, 3}, {31, 1, 3, 1}, {1, 17, 1, 17}, {12, 23, 5, 4},
        {32, 32, 31, 29}, {13, 40, 7, 2}, {11, 11, 11, 11}, {6, 64, 2, 61}, {7, 19, 4, 12}};
    Stream.Builder<Arguments> b = Stream.builder();
    for (int[] p : pairs) {
      b.add(Arguments.of(p[0], p[1], p[2], p[3], false));
      b.add(Arguments.of(p[0], p[1], p[2], p[3], true));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0}x{1} * {2}x{3}, convolve {4}")
  @MethodSource("shapes")
  void validInteriorMatchesTheNaiveSum(int rows, int cols, int kh, int kw, boolean convolve) {
    Random rng = new Random(31L * rows + 7L * cols + kh + 3L * kw);
    Tensor x = Tensor.randn(rng, rows, cols);
    Tensor h = Tensor.randn(rng, kh, kw);
    Tensor got = convolve
        ? Correlation.convolve2d(x, h, Mode.VALID, Boundary.FILL, 0.0, Method.DIRECT)
        : Correlation.correlate2d(x, h, Mode.VALID, Boundary.FILL, 0.0, Method.DIRECT);
    double[] want = naiveValid(x.toArray(), rows, cols, h.toArray(), kh, kw, convolve);
    assertThat(got.shape()).containsExactly(rows - kh + 1, cols - kw + 1);
    double[] g = got.toArray();
    double scale = 0;
    for (double v : want) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < want.length; i++) {
      assertThat(g[i]).as("output %d of %d", i, want.length).isCloseTo(want[i], offset(
          1e-12 * Math.max(1, scale)));
    }
  }

  /** The definition, one output at a time. */
  private static double[] naiveValid(double[] x, int rows, int cols, double[] h, int kh, int kw, boolean convolve) {
    int outH = rows - kh + 1;
    int outW = cols - kw + 1;
    double[] out = new double[outH * outW];
    for (int m = 0; m < outH; m++) {
      for (int n = 0; n < outW; n++) {
        double s = 0;
        for (int j = 0; j < kh; j++) {
          for (int k = 0; k < kw; k++) {
            double w = convolve ? h[(kh - 1 - j) * kw + (kw - 1 - k)] : h[j * kw + k];
            s += w * x[(m + j) * cols + n + k];
          }
        }
        out[m * outW + n] = s;
      }
    }
    return out;
  }
}
