package dev.streamgrad.signal;

/**
 * The interior of {@link DirectCorrelation}: outputs whose whole window lies inside the input, so
 * the loops read the input directly. Layout as there: row-major {@code x} with row length
 * {@code cols}, the kernel {@code g} ({@code kh x kw}) already rotated for a convolution, output
 * row length {@code outW}; only {@code out} is written.
 *
 * <p>Several outputs are accumulated at once in registers, each over the taps in kernel order with
 * fused multiply-adds: scalar code is limited by loads and by the latency of dependent adds, and
 * the JIT of Java 17 does not vectorise a loop that reads one array at two unaligned offsets.
 */
final class InteriorCorrelation {
  private InteriorCorrelation() {}

  /**
   * The interior (rows at least eight wide), eight adjacent outputs of a row at a time, each
   * accumulated in a register over the taps in kernel order. Along a kernel row the eight windows
   * overlap: after the first seven input values, each tap needs one new input value and one weight
   * for eight fused multiply-adds, the older values sliding down the registers. Scalar code is
   * limited by loads and by the latency of dependent adds; this keeps eight independent chains and
   * a quarter of the loads (the JIT of Java 17 does not vectorise a loop that reads one array at
   * two unaligned offsets). The last block of a row ends at the row's end, overlapping the one
   * before: recomputing a few outputs the same way is cheaper than finishing the row one output
   * (one dependent chain) at a time.
   */
  static void rows(double[] x, int cols, double[] g, int kh, int kw, int o0, int o1, int outW,
      double[] out, int mLo, int mHi, int nLo, int width) {
    for (int m = mLo; m < mHi; m++) {
      int o = m * outW + nLo;
      int in = (m + o0) * cols + o1 + nLo;
      for (int n = 0; ; n = Math.min(n + 8, width - 8)) {
        block8(x, cols, g, kh, kw, in + n, out, o + n);
        if (n + 8 >= width) {
          break;
        }
      }
    }
  }

  /** Eight adjacent outputs, windows at input offsets {@code at .. at+7}, into {@code out} at {@code to}. */
  private static void block8(double[] x, int cols, double[] g, int kh, int kw, int at, double[] out, int to) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    double s4 = 0;
    double s5 = 0;
    double s6 = 0;
    double s7 = 0;
    for (int j = 0; j < kh; j++) {
      int r = at + j * cols;
      int kRow = j * kw;
      double x0 = x[r];
      double x1 = x[r + 1];
      double x2 = x[r + 2];
      double x3 = x[r + 3];
      double x4 = x[r + 4];
      double x5 = x[r + 5];
      double x6 = x[r + 6];
      for (int k = 0; k < kw; k++) {
        double x7 = x[r + k + 7];
        double w = g[kRow + k];
        s0 = Math.fma(w, x0, s0);
        s1 = Math.fma(w, x1, s1);
        s2 = Math.fma(w, x2, s2);
        s3 = Math.fma(w, x3, s3);
        s4 = Math.fma(w, x4, s4);
        s5 = Math.fma(w, x5, s5);
        s6 = Math.fma(w, x6, s6);
        s7 = Math.fma(w, x7, s7);
        x0 = x1;
        x1 = x2;
        x2 = x3;
        x3 = x4;
        x4 = x5;
        x5 = x6;
        x6 = x7;
      }
    }
    out[to] = s0;
    out[to + 1] = s1;
    out[to + 2] = s2;
    out[to + 3] = s3;
    out[to + 4] = s4;
    out[to + 5] = s5;
    out[to + 6] = s6;
    out[to + 7] = s7;
  }

  /** One output: the window at input offset {@code at} times the kernel, taps in kernel order. */
  private static double window(double[] x, int cols, double[] g, int kh, int kw, int at) {
    double s = 0;
    for (int j = 0; j < kh; j++) {
      int r = at + j * cols;
      int kRow = j * kw;
      for (int k = 0; k < kw; k++) {
        s = Math.fma(g[kRow + k], x[r + k], s);
      }
    }
    return s;
  }

  /**
   * The interior when output rows are narrower than eight (the filter gradient: a 26x26 "kernel"
   * over a 28x28 input gives 3x3). Blocks of 3x3 outputs take nine registers: per tap one weight
   * and three input values (one per input row, the older ones sliding along) feed nine fused
   * multiply-adds. The outputs outside whole blocks go eight at a time through {@link #outputs}.
   */
  static void narrow(double[] x, int cols, double[] g, int kh, int kw, int o0, int o1, int outW,
      double[] out, int mLo, int mHi, int nLo, int width) {
    int rows = mHi - mLo;
    int blockRows = rows / 3 * 3;
    int blockCols = width / 3 * 3;
    for (int m = mLo; m < mLo + blockRows; m += 3) {
      for (int n = nLo; n < nLo + blockCols; n += 3) {
        block3x3(x, cols, g, kh, kw, (m + o0) * cols + o1 + n, out, m * outW + n, outW);
      }
    }
    int rest = rows * width - blockRows * blockCols;
    if (rest == 0) {
      return;
    }
    int[] at = new int[rest];
    int[] to = new int[rest];
    int i = 0;
    for (int m = mLo; m < mHi; m++) {
      for (int n = nLo; n < nLo + width; n++) {
        if (m < mLo + blockRows && n < nLo + blockCols) {
          continue;
        }
        at[i] = (m + o0) * cols + o1 + n;
        to[i++] = m * outW + n;
      }
    }
    outputs(x, cols, g, kh, kw, at, to, out);
  }

  /** Outputs {@code (0..2, 0..2)} of the windows from input offset {@code at}, into {@code out} at {@code to}. */
  private static void block3x3(double[] x, int cols, double[] g, int kh, int kw, int at, double[] out, int to,
      int outW) {
    double s00 = 0;
    double s01 = 0;
    double s02 = 0;
    double s10 = 0;
    double s11 = 0;
    double s12 = 0;
    double s20 = 0;
    double s21 = 0;
    double s22 = 0;
    for (int j = 0; j < kh; j++) {
      int r0 = at + j * cols;
      int r1 = r0 + cols;
      int r2 = r1 + cols;
      int kRow = j * kw;
      double a0 = x[r0];
      double a1 = x[r0 + 1];
      double b0 = x[r1];
      double b1 = x[r1 + 1];
      double c0 = x[r2];
      double c1 = x[r2 + 1];
      for (int k = 0; k < kw; k++) {
        double w = g[kRow + k];
        double a2 = x[r0 + k + 2];
        double b2 = x[r1 + k + 2];
        double c2 = x[r2 + k + 2];
        s00 = Math.fma(w, a0, s00);
        s01 = Math.fma(w, a1, s01);
        s02 = Math.fma(w, a2, s02);
        s10 = Math.fma(w, b0, s10);
        s11 = Math.fma(w, b1, s11);
        s12 = Math.fma(w, b2, s12);
        s20 = Math.fma(w, c0, s20);
        s21 = Math.fma(w, c1, s21);
        s22 = Math.fma(w, c2, s22);
        a0 = a1;
        a1 = a2;
        b0 = b1;
        b1 = b2;
        c0 = c1;
        c1 = c2;
      }
    }
    out[to] = s00;
    out[to + 1] = s01;
    out[to + 2] = s02;
    out[to + outW] = s10;
    out[to + outW + 1] = s11;
    out[to + outW + 2] = s12;
    out[to + 2 * outW] = s20;
    out[to + 2 * outW + 1] = s21;
    out[to + 2 * outW + 2] = s22;
  }

  /**
   * The outputs whose windows start at input offsets {@code at}, written to {@code out} at
   * {@code to}: eight at a time, each in its own register over the taps in kernel order, so that
   * eight independent chains of fused multiply-adds keep both floating-point units busy.
   */
  private static void outputs(double[] x, int cols, double[] g, int kh, int kw, int[] at, int[] to, double[] out) {
    int count = at.length;
    int p = 0;
    for (; p + 8 <= count; p += 8) {
      int b0 = at[p];
      int b1 = at[p + 1];
      int b2 = at[p + 2];
      int b3 = at[p + 3];
      int b4 = at[p + 4];
      int b5 = at[p + 5];
      int b6 = at[p + 6];
      int b7 = at[p + 7];
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      double s4 = 0;
      double s5 = 0;
      double s6 = 0;
      double s7 = 0;
      for (int j = 0; j < kh; j++) {
        int row = j * cols;
        int kRow = j * kw;
        for (int k = 0; k < kw; k++) {
          double w = g[kRow + k];
          int r = row + k;
          s0 = Math.fma(w, x[b0 + r], s0);
          s1 = Math.fma(w, x[b1 + r], s1);
          s2 = Math.fma(w, x[b2 + r], s2);
          s3 = Math.fma(w, x[b3 + r], s3);
          s4 = Math.fma(w, x[b4 + r], s4);
          s5 = Math.fma(w, x[b5 + r], s5);
          s6 = Math.fma(w, x[b6 + r], s6);
          s7 = Math.fma(w, x[b7 + r], s7);
        }
      }
      out[to[p]] = s0;
      out[to[p + 1]] = s1;
      out[to[p + 2]] = s2;
      out[to[p + 3]] = s3;
      out[to[p + 4]] = s4;
      out[to[p + 5]] = s5;
      out[to[p + 6]] = s6;
      out[to[p + 7]] = s7;
    }
    for (; p < count; p++) {
      out[to[p]] = window(x, cols, g, kh, kw, at[p]);
    }
  }
}
