package dev.streamgrad.signal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * In-place complex FFT along axis 0 of an {@code n0 x c} array held as one {@code double[]} per row
 * for the real parts and one per row for the imaginary parts, for a power-of-two {@code n0}:
 * iterative radix-2 decimation in time whose inner loop runs along the rows, so no transposition is
 * needed and the JIT vectorises it.
 *
 * <p>Why rows as separate arrays and radix 2: HotSpot's C2 (JDK 17) only vectorises a loop whose
 * loads and stores it can prove independent, and it cannot for two rows of one flat array (same
 * array, different loop-invariant offsets), so the earlier flat layout ran scalar. With one array
 * per row the accesses are {@code a[x]}, {@code b[x]} on distinct arrays, which it does vectorise,
 * but only for a loop body small enough to be unrolled under its default {@code LoopUnrollLimit}:
 * a radix-2 butterfly is, a radix-4 one is not (it then runs scalar and four times slower). Full
 * rows are the inner loop (no strips): the longer the vector loop, the less its set-up costs, and
 * measured on 256 and 1024 rows full width beat every strip width.
 */
final class AxisFft {
  /** Per length: cos(2 pi j / n) at {@code [j]} and -sin(2 pi j / n) at {@code [n/2 + j]}, j < n/2. */
  private static final ConcurrentHashMap<Integer, double[]> TWIDDLES = new ConcurrentHashMap<>();

  private AxisFft() {}

  static boolean supports(int n0) {
    return n0 > 0 && (n0 & (n0 - 1)) == 0;
  }

  /**
   * Puts the rows into bit-reversed order, the first step of every transform. Only the row
   * references move, so it costs {@code n0} swaps whatever the row length.
   */
  static void bitReverseRows(double[][] re, double[][] im, int n0) {
    int bits = Integer.numberOfTrailingZeros(n0);
    if (bits == 0) {
      return;
    }
    for (int i = 0; i < n0; i++) {
      int r = Integer.reverse(i) >>> (32 - bits);
      if (r > i) {
        double[] t = re[i];
        re[i] = re[r];
        re[r] = t;
        t = im[i];
        im[i] = im[r];
        im[r] = t;
      }
    }
  }

  /**
   * The butterfly stages for columns {@code [x0, x1)}, after {@link #bitReverseRows}: a forward
   * transform ({@code e^{-2 pi i k m / n0}}) or an unscaled inverse one. The result is in natural
   * row order.
   */
  static void stages(double[][] re, double[][] im, int n0, int x0, int x1, boolean inverse) {
    if (n0 < 2) {
      return;
    }
    firstStage(re, im, n0, x0, x1);
    stages(re, im, n0, x0, x1, 2, n0, inverse);
  }

  /**
   * The stages that combine transforms of length {@code q} into ones of length {@code 2q}, for
   * {@code qFrom <= q < qTo} (powers of two), in place, for columns {@code [x0, x1)}: callers that did
   * the stages below {@code qFrom} themselves, or that do the last one into another array, run the
   * rest with this.
   */
  static void stages(double[][] re, double[][] im, int n0, int x0, int x1, int qFrom, int qTo, boolean inverse) {
    double[] tw = twiddles(n0);
    int h0 = n0 >> 1;
    double sign = inverse ? -1.0 : 1.0;
    for (int q = qFrom; q < qTo; q <<= 1) {
      int step = n0 / (2 * q);
      for (int g = 0; g < n0; g += 2 * q) {
        for (int j = 0; j < q; j++) {
          butterfly(re[g + j], im[g + j], re[g + j + q], im[g + j + q], tw[j * step], sign * tw[h0 + j * step],
              x0, x1);
        }
      }
    }
  }

  /** The stage of length 2, where every twiddle is 1. */
  private static void firstStage(double[][] re, double[][] im, int n0, int x0, int x1) {
    for (int g = 0; g < n0; g += 2) {
      sumAndDifference(re[g], im[g], re[g + 1], im[g + 1], x0, x1);
    }
  }

  /** {@code (a, b) <- (a + b, a - b)} element-wise over {@code [x0, x1)}: a butterfly whose twiddle is 1. */
  static void sumAndDifference(double[] ar, double[] ai, double[] br, double[] bi, int x0, int x1) {
    for (int x = x0; x < x1; x++) {
      double pr = ar[x];
      double pi = ai[x];
      double qr = br[x];
      double qi = bi[x];
      ar[x] = pr + qr;
      ai[x] = pi + qi;
      br[x] = pr - qr;
      bi[x] = pi - qi;
    }
  }

  /** {@code (a, b) <- (a + w b, a - w b)} element-wise over {@code [x0, x1)}; kept small so C2 vectorises it. */
  private static void butterfly(double[] ar, double[] ai, double[] br, double[] bi, double wr, double wi, int x0,
      int x1) {
    for (int x = x0; x < x1; x++) {
      double qr = br[x];
      double qi = bi[x];
      double tr = wr * qr - wi * qi;
      double ti = wr * qi + wi * qr;
      double pr = ar[x];
      double pi = ai[x];
      ar[x] = pr + tr;
      ai[x] = pi + ti;
      br[x] = pr - tr;
      bi[x] = pi - ti;
    }
  }

  /** cos(2 pi j / n) at {@code [j]} and -sin(2 pi j / n) at {@code [n/2 + j]}, {@code j < n/2} (cached per length). */
  static double[] twiddles(int n) {
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
