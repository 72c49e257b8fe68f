package dev.streamgrad.signal;

import java.util.Arrays;

/**
 * Real FFTs of many rows of the same power-of-two length at once, vectorised across the rows: a
 * band of rows is transposed into one array per column, the real transform of length {@code n1}
 * is done as a complex one of length {@code n1/2} (even columns as real parts, odd ones as
 * imaginary parts: only array references move) by {@link AxisFft} along the band, split into the
 * {@code n1/2+1} bins of the real transform, and transposed back into one array per row.
 *
 * <p>Why not JTransforms' {@code realForward} row by row, as for other lengths: it is scalar code,
 * and on 256x256 its 256 row transforms alone took about 150 us, more than half of numpy's whole
 * {@code rfft2} on a quiet machine (about 250 us). Here the transposes cost about 35 us and the
 * vectorised transform about 50 us. {@link SplitFft2} uses this for power-of-two widths of at least
 * {@value #MIN_LENGTH} with at least {@value #MIN_ROWS} rows (fewer rows leave the vector loops too
 * short); the numpy fixtures check both paths.
 */
final class RowFft {
  /** Shortest row length handled here. */
  static final int MIN_LENGTH = 8;
  /** Fewest rows handled here. */
  static final int MIN_ROWS = 16;
  /** Rows per band: long vector loops, while a band's working set stays within the L2 cache. */
  private static final int BAND = 256;

  private RowFft() {}

  static boolean supports(int n1, int rows) {
    return n1 >= MIN_LENGTH && (n1 & (n1 - 1)) == 0 && rows >= MIN_ROWS;
  }

  /**
   * The half spectra (bins {@code 0 .. n1/2}) of rows {@code [from, to)} of {@code src} (row stride
   * {@code stride}, each value minus {@code shift}, the first {@code usedCols} values of a row then
   * zeros up to {@code n1}), unscaled: row {@code k}'s into {@code re[slot(k)]}/{@code im[slot(k)]},
   * where {@code slot} reverses the low {@code bits} bits of {@code k} (no reversal for 0 bits).
   */
  static void forward(double[] src, int stride, double shift, int usedCols, int n1, int from, int to, int bits,
      double[][] re, double[][] im) {
    for (int b0 = from; b0 < to; b0 += BAND) {
      band(src, stride, shift, usedCols, n1, b0, Math.min(to, b0 + BAND), bits, re, im);
    }
  }

  private static void band(double[] src, int stride, double shift, int usedCols, int n1, int from, int to, int bits,
      double[][] re, double[][] im) {
    int w = to - from;
    int m = n1 / 2;
    double[][] t = FftPlans.rows(4, n1, w);
    transposeIn(src, stride, shift, usedCols, from, w, t);
    for (int c = usedCols; c < n1; c++) {
      Arrays.fill(t[c], 0, w, 0.0);
    }
    double[][] zr = FftPlans.refs(0, m);
    double[][] zi = FftPlans.refs(1, m);
    for (int j = 0; j < m; j++) {
      zr[j] = t[2 * j];
      zi[j] = t[2 * j + 1];
    }
    AxisFft.bitReverseRows(zr, zi, m);
    AxisFft.stages(zr, zi, m, 0, w, false);
    double[][] yr = FftPlans.rows(5, m + 1, w);
    double[][] yi = FftPlans.rows(6, m + 1, w);
    split(zr, zi, m, w, AxisFft.twiddles(n1), yr, yi);
    transposeOut(yr, m + 1, from, w, bits, re);
    transposeOut(yi, m + 1, from, w, bits, im);
  }

  /** {@code t[c][r] = src[(from + r) stride + c] - shift} for {@code c < usedCols}, 8 source rows at a time. */
  private static void transposeIn(double[] src, int stride, double shift, int usedCols, int from, int w,
      double[][] t) {
    int r = 0;
    for (; r + 8 <= w; r += 8) {
      int o = (from + r) * stride;
      for (int c = 0; c < usedCols; c++) {
        double[] row = t[c];
        row[r] = src[o + c] - shift;
        row[r + 1] = src[o + stride + c] - shift;
        row[r + 2] = src[o + 2 * stride + c] - shift;
        row[r + 3] = src[o + 3 * stride + c] - shift;
        row[r + 4] = src[o + 4 * stride + c] - shift;
        row[r + 5] = src[o + 5 * stride + c] - shift;
        row[r + 6] = src[o + 6 * stride + c] - shift;
        row[r + 7] = src[o + 7 * stride + c] - shift;
      }
    }
    for (; r < w; r++) {
      int o = (from + r) * stride;
      for (int c = 0; c < usedCols; c++) {
        t[c][r] = src[o + c] - shift;
      }
    }
  }

  /**
   * The real transform's bins {@code Y[k]}, {@code 0 <= k <= m}, from the complex transform
   * {@code Z} of length {@code m} of the even/odd samples: {@code Y[k] = E + e^{-i pi k / m} O} with
   * {@code E = (Z[k] + conj Z[m-k]) / 2} and {@code O = (Z[k] - conj Z[m-k]) / 2i} ({@code Z[m] = Z[0]}).
   */
  private static void split(double[][] zr, double[][] zi, int m, int w, double[] tw, double[][] yr, double[][] yi) {
    double[] ar = zr[0];
    double[] ai = zi[0];
    double[] y0r = yr[0];
    double[] y0i = yi[0];
    double[] ymr = yr[m];
    double[] ymi = yi[m];
    for (int x = 0; x < w; x++) {
      y0r[x] = ar[x] + ai[x];
      ymr[x] = ar[x] - ai[x];
      y0i[x] = 0.0;
      ymi[x] = 0.0;
    }
    int h = tw.length / 2;
    for (int k = 1; k < m; k++) {
      bin(zr[k], zi[k], zr[m - k], zi[m - k], tw[k], tw[h + k], yr[k], yi[k], w);
    }
  }

  /** One bin of {@link #split}, its own small loop so that C2 vectorises it. */
  private static void bin(double[] ar, double[] ai, double[] br, double[] bi, double wr, double wi, double[] or,
      double[] oi, int w) {
    for (int x = 0; x < w; x++) {
      double er = 0.5 * (ar[x] + br[x]);
      double ei = 0.5 * (ai[x] - bi[x]);
      double pr = 0.5 * (ai[x] + bi[x]);
      double pi = -0.5 * (ar[x] - br[x]);
      or[x] = er + wr * pr - wi * pi;
      oi[x] = ei + wr * pi + wi * pr;
    }
  }

  /** {@code dst[slot(from + r)][k] = y[k][r]}, 8 bins at a time. */
  private static void transposeOut(double[][] y, int bins, int from, int w, int bits, double[][] dst) {
    int k = 0;
    for (; k + 8 <= bins; k += 8) {
      double[] y0 = y[k];
      double[] y1 = y[k + 1];
      double[] y2 = y[k + 2];
      double[] y3 = y[k + 3];
      double[] y4 = y[k + 4];
      double[] y5 = y[k + 5];
      double[] y6 = y[k + 6];
      double[] y7 = y[k + 7];
      for (int r = 0; r < w; r++) {
        double[] row = dst[slot(from + r, bits)];
        row[k] = y0[r];
        row[k + 1] = y1[r];
        row[k + 2] = y2[r];
        row[k + 3] = y3[r];
        row[k + 4] = y4[r];
        row[k + 5] = y5[r];
        row[k + 6] = y6[r];
        row[k + 7] = y7[r];
      }
    }
    for (; k < bins; k++) {
      double[] yk = y[k];
      for (int r = 0; r < w; r++) {
        dst[slot(from + r, bits)][k] = yk[r];
      }
    }
  }

  private static int slot(int k, int bits) {
    return bits == 0 ? k : Integer.reverse(k) >>> (32 - bits);
  }
}
