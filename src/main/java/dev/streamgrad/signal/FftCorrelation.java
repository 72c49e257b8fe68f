package dev.streamgrad.signal;

/**
 * The FFT path of {@link Correlation}, for the same formulation as {@link DirectCorrelation}:
 * {@code out[m][n] = sum_{j,k} g[j][k] X(m + o0 + j, n + o1 + k)}.
 *
 * <p>That is a window of the linear convolution of the extended input with {@code g} rotated by 180
 * degrees. With the {@code fill} boundary the input is not extended: the convolution of
 * {@code X - fillvalue} (zero outside) plus {@code fillvalue * sum(g)} is the same thing. With
 * {@code wrap} or {@code symm} the extended input is built explicitly. Either way only the output
 * window is needed, so the FFT length per axis is the smallest fast length ({@code 2^a 3^b 5^c})
 * for which circular wrap-around misses the window, not the full linear length: for a
 * {@code valid} output that is just the input size.
 */
final class FftCorrelation {
  private FftCorrelation() {}

  static double[] run(double[] x, int rows, int cols, double[] h, int kh, int kw, boolean flip, int o0, int o1,
      int outH, int outW, Boundary boundary, double fillvalue) {
    double[] a;
    int aRows;
    int aCols;
    int p0;
    int q0;
    double shift;
    if (boundary == Boundary.FILL) {
      a = x;
      aRows = rows;
      aCols = cols;
      p0 = o0 + kh - 1;
      q0 = o1 + kw - 1;
      shift = fillvalue;
    } else {
      aRows = outH + kh - 1;
      aCols = outW + kw - 1;
      a = extend(x, rows, cols, o0, o1, aRows, aCols, boundary);
      p0 = kh - 1;
      q0 = kw - 1;
      shift = 0;
    }
    int n0 = fftLength(aRows, kh, p0, outH);
    int n1 = fftLength(aCols, kw, q0, outW);
    // the convolution kernel: h itself for a convolution, h rotated for a correlation
    double[] c = new double[kh * kw];
    double sum = 0;
    for (int i = 0; i < c.length; i++) {
      c[i] = flip ? h[i] : h[c.length - 1 - i];
      sum += h[i];
    }
    double[] out = new double[outH * outW];
    double scale = 1.0 / (n0 * (double) n1);
    if (SplitFft2.supports(n0)) {
      int c1 = n1 / 2 + 1;
      double[][] aRe = FftPlans.rows(0, n0, c1);
      double[][] aIm = FftPlans.rows(1, n0, c1);
      double[][] kRe = FftPlans.rows(2, n0, c1);
      double[][] kIm = FftPlans.rows(3, n0, c1);
      SplitFft2.forward(a, aRows, aCols, aCols, shift, n0, n1, aRe, aIm);
      SplitFft2.forward(c, kh, kw, kw, 0.0, n0, n1, kRe, kIm);
      for (int k = 0; k < n0; k++) {
        multiply(aRe[k], aIm[k], kRe[k], kIm[k], c1);
      }
      SplitFft2.inverse(aRe, aIm, n0, n1, p0, p0 + outH, q0, q0 + outW, scale, out, 0, outW);
    } else {
      int length = RealFft2.specLength(n0, n1);
      double[] specA = FftPlans.scratch(1, length);
      double[] specK = FftPlans.scratch(2, length);
      RealFft2.forward(a, aRows, aCols, aCols, shift, n0, n1, specA);
      RealFft2.forward(c, kh, kw, kw, 0.0, n0, n1, specK);
      for (int i = 0; i < length; i += 2) {
        double ar = specA[i];
        double ai = specA[i + 1];
        double br = specK[i];
        double bi = specK[i + 1];
        specA[i] = ar * br - ai * bi;
        specA[i + 1] = ar * bi + ai * br;
      }
      RealFft2.inverse(specA, n0, n1, p0, p0 + outH, q0, q0 + outW, scale, out, 0, outW);
    }
    if (shift != 0) {
      double add = shift * sum;
      for (int i = 0; i < out.length; i++) {
        out[i] += add;
      }
    }
    return out;
  }

  /** {@code a <- a * b} for the complex rows {@code (ar, ai)} and {@code (br, bi)}, first {@code n} bins. */
  private static void multiply(double[] ar, double[] ai, double[] br, double[] bi, int n) {
    for (int i = 0; i < n; i++) {
      double xr = ar[i];
      double xi = ai[i];
      ar[i] = xr * br[i] - xi * bi[i];
      ai[i] = xr * bi[i] + xi * br[i];
    }
  }

  /**
   * The smallest fast FFT length for which the circular convolution of a length-{@code size} signal
   * with a length-{@code k} kernel equals the linear one at positions {@code [from, from + count)}:
   * wrap-around must neither reach back to {@code from} nor forward to {@code from + count - 1}.
   */
  static int fftLength(int size, int k, int from, int count) {
    int linear = size + k - 1;
    return FftPlans.fastSize(Math.max(linear - from, from + count));
  }

  /** The input extended by the boundary rule to the {@code aRows x aCols} window at {@code (o0, o1)}. */
  private static double[] extend(double[] x, int rows, int cols, int o0, int o1, int aRows, int aCols,
      Boundary boundary) {
    double[] a = FftPlans.scratch(3, aRows * aCols);
    int[] colMap = DirectCorrelation.indexMap(o1, aCols, cols, boundary);
    for (int r = 0; r < aRows; r++) {
      int src = DirectCorrelation.boundaryIndex(r + o0, rows, boundary) * cols;
      int dst = r * aCols;
      for (int s = 0; s < aCols; s++) {
        a[dst + s] = x[src + colMap[s]];
      }
    }
    return a;
  }
}
