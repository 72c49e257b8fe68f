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
  private static final int STRIP_DOUBLES = 32768;
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
   * transform ({@code e^{-2 pi i k m / n0}}) or an unscaled inverse one. Two radix-2 stages are done
   * per pass over the strip (a radix-2^2 butterfly on four rows), after one plain radix-2 stage when
   * {@code log2 n0} is odd: half the loads and stores of radix-2 alone.
   */
  static void stages(double[] re, double[] im, int n0, int c, int x0, int x1, boolean inverse) {
    double[] tw = twiddles(n0);
    int h0 = n0 >> 1;
    double sign = inverse ? -1.0 : 1.0;
    int q = 1;
    if ((Integer.numberOfTrailingZeros(n0) & 1) == 1) {
      // first stage, length 2: the twiddle is 1
      for (int g = 0; g < n0; g += 2) {
        int a = g * c;
        int b = a + c;
        for (int x = x0; x < x1; x++) {
          double br = re[b + x];
          double bi = im[b + x];
          double ar = re[a + x];
          double ai = im[a + x];
          re[b + x] = ar - br;
          im[b + x] = ai - bi;
          re[a + x] = ar + br;
          im[a + x] = ai + bi;
        }
      }
      q = 2;
    } else if (n0 >= 4) {
      trivialRadix4(re, im, n0, c, x0, x1, sign);
      q = 4;
    }
    for (; q < n0; q <<= 2) {
      int stepW = n0 / (2 * q);
      int stepU = n0 / (4 * q);
      for (int g = 0; g < n0; g += 4 * q) {
        for (int j = 0; j < q; j++) {
          double wr = tw[j * stepW];
          double wi = sign * tw[h0 + j * stepW];
          double ur = tw[j * stepU];
          double ui = sign * tw[h0 + j * stepU];
          int r0 = (g + j) * c;
          int r1 = r0 + q * c;
          int r2 = r1 + q * c;
          int r3 = r2 + q * c;
          for (int x = x0; x < x1; x++) {
            double x0r = re[r0 + x];
            double x0i = im[r0 + x];
            double x1r = re[r1 + x];
            double x1i = im[r1 + x];
            double x2r = re[r2 + x];
            double x2i = im[r2 + x];
            double x3r = re[r3 + x];
            double x3i = im[r3 + x];
            // stage of length 2q: (r0, r1) and (r2, r3) with twiddle w
            double t1r = wr * x1r - wi * x1i;
            double t1i = wr * x1i + wi * x1r;
            double t3r = wr * x3r - wi * x3i;
            double t3i = wr * x3i + wi * x3r;
            double y0r = x0r + t1r;
            double y0i = x0i + t1i;
            double y1r = x0r - t1r;
            double y1i = x0i - t1i;
            double y2r = x2r + t3r;
            double y2i = x2i + t3i;
            double y3r = x2r - t3r;
            double y3i = x2i - t3i;
            // stage of length 4q: (r0, r2) with twiddle u, (r1, r3) with u times -i (forward) or +i
            double t2r = ur * y2r - ui * y2i;
            double t2i = ur * y2i + ui * y2r;
            double sr = ur * y3r - ui * y3i;
            double si = ur * y3i + ui * y3r;
            double s3r = sign * si;
            double s3i = -sign * sr;
            re[r0 + x] = y0r + t2r;
            im[r0 + x] = y0i + t2i;
            re[r2 + x] = y0r - t2r;
            im[r2 + x] = y0i - t2i;
            re[r1 + x] = y1r + s3r;
            im[r1 + x] = y1i + s3i;
            re[r3 + x] = y1r - s3r;
            im[r3 + x] = y1i - s3i;
          }
        }
      }
    }
  }

  /** The first two stages (lengths 2 and 4) together: all twiddles are 1 or -i (forward) / +i. */
  private static void trivialRadix4(double[] re, double[] im, int n0, int c, int x0, int x1, double sign) {
    for (int g = 0; g < n0; g += 4) {
      int r0 = g * c;
      int r1 = r0 + c;
      int r2 = r1 + c;
      int r3 = r2 + c;
      for (int x = x0; x < x1; x++) {
        double y0r = re[r0 + x] + re[r1 + x];
        double y0i = im[r0 + x] + im[r1 + x];
        double y1r = re[r0 + x] - re[r1 + x];
        double y1i = im[r0 + x] - im[r1 + x];
        double y2r = re[r2 + x] + re[r3 + x];
        double y2i = im[r2 + x] + im[r3 + x];
        double y3r = re[r2 + x] - re[r3 + x];
        double y3i = im[r2 + x] - im[r3 + x];
        double s3r = sign * y3i;
        double s3i = -sign * y3r;
        re[r0 + x] = y0r + y2r;
        im[r0 + x] = y0i + y2i;
        re[r2 + x] = y0r - y2r;
        im[r2 + x] = y0i - y2i;
        re[r1 + x] = y1r + s3r;
        im[r1 + x] = y1i + s3i;
        re[r3 + x] = y1r - s3r;
        im[r3 + x] = y1i - s3i;
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
