package dev.streamgrad.signal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * In-place complex FFT along axis 0 of a row-major {@code n0 x c} array held as separate real and
 * imaginary arrays, for a power-of-two {@code n0}: iterative radix-2 decimation in time whose inner
 * loop runs along a row, so it needs no transposition and the JIT vectorises it. Columns are done
 * in strips narrow enough ({@value #STRIP_DOUBLES} doubles per array) that all stages of a strip run
 * in cache.
 */
final class AxisFft {
  private static final int STRIP_DOUBLES = 1 << 14;
  /** Per length: cos(2 pi j / n) at {@code [j]} and -sin(2 pi j / n) at {@code [n/2 + j]}, j < n/2. */
  private static final ConcurrentHashMap<Integer, double[]> TWIDDLES = new ConcurrentHashMap<>();

  private AxisFft() {}

  static boolean supports(int n0) {
    return n0 > 0 && (n0 & (n0 - 1)) == 0;
  }

  /** Columns per strip for {@code n0} rows. */
  static int strip(int n0, int c) {
    return Math.min(c, Math.max(8, STRIP_DOUBLES / n0));
  }

  /** Reorders the rows into bit-reversed order (the first step of every transform). */
  static void bitReverseRows(double[] re, double[] im, int n0, int c) {
    int bits = Integer.numberOfTrailingZeros(n0);
    for (int i = 0; i < n0; i++) {
      int r = Integer.reverse(i) >>> (32 - bits);
      if (bits > 0 && r > i) {
        swapRows(re, i, r, c);
        swapRows(im, i, r, c);
      }
    }
  }

  private static void swapRows(double[] a, int i, int j, int c) {
    int oi = i * c;
    int oj = j * c;
    for (int x = 0; x < c; x++) {
      double t = a[oi + x];
      a[oi + x] = a[oj + x];
      a[oj + x] = t;
    }
  }

  /**
   * The butterfly stages for columns {@code [x0, x1)}, after {@link #bitReverseRows}: a forward
   * transform ({@code e^{-2 pi i k m / n0}}) or an unscaled inverse one.
   */
  static void stages(double[] re, double[] im, int n0, int c, int x0, int x1, boolean inverse) {
    double[] tw = twiddles(n0);
    int h0 = n0 >> 1;
    double sign = inverse ? -1.0 : 1.0;
    for (int len = 2; len <= n0; len <<= 1) {
      int half = len >> 1;
      int step = n0 / len;
      for (int g = 0; g < n0; g += len) {
        for (int j = 0; j < half; j++) {
          double wr = tw[j * step];
          double wi = sign * tw[h0 + j * step];
          int a = (g + j) * c;
          int b = a + half * c;
          for (int x = x0; x < x1; x++) {
            double br = re[b + x];
            double bi = im[b + x];
            double tr = wr * br - wi * bi;
            double ti = wr * bi + wi * br;
            double ar = re[a + x];
            double ai = im[a + x];
            re[b + x] = ar - tr;
            im[b + x] = ai - ti;
            re[a + x] = ar + tr;
            im[a + x] = ai + ti;
          }
        }
      }
    }
  }

  private static double[] twiddles(int n) {
    double[] tw = TWIDDLES.get(n);
    if (tw == null) {
      tw = TWIDDLES.computeIfAbsent(n, AxisFft::computeTwiddles);
    }
    return tw;
  }

  private static double[] computeTwiddles(int n) {
    int h = Math.max(1, n / 2);
    double[] tw = new double[2 * h];
    for (int j = 0; j < n / 2; j++) {
      double angle = 2 * Math.PI * j / n;
      tw[j] = Math.cos(angle);
      tw[h + j] = -Math.sin(angle);
    }
    return tw;
  }
}
