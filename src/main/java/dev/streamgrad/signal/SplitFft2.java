package dev.streamgrad.signal;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The real 2-D FFT for a power-of-two number of rows {@code n0} (any {@code n1}). The half spectrum
 * is held as rows: {@code re[k]}/{@code im[k]} hold bins {@code (k, 0 .. n1/2)} (numpy's
 * {@code [n0, n1/2+1]} layout, one array per row; the arrays may be longer than {@code n1/2+1}).
 * Rows are transformed by {@link RowFft} (vectorised across rows) where it applies, else by
 * JTransforms' packed {@code realForward} (layout in {@link RealFft2}) and unpacked straight into
 * their row; the columns are then transformed in place by {@link AxisFft}, which is why the rows are
 * separate arrays: no transposition of the spectrum, which is what makes this path faster than
 * {@link RealFft2}'s for the sizes it covers.
 */
final class SplitFft2 {
  private SplitFft2() {}

  static boolean supports(int n0) {
    return FftEngine.current() == FftEngine.FAST && AxisFft.supports(n0);
  }

  /**
   * Forward transform of the {@code rows x cols} array {@code src} (row stride {@code stride}, each
   * value minus {@code shift}) zero-padded or cropped to {@code n0 x n1}, unscaled, into rows
   * {@code 0 .. n0-1} of {@code re}/{@code im} (the first {@code n1/2+1} values of each).
   */
  static void forward(double[] src, int rows, int cols, int stride, double shift, int n0, int n1, double[][] re,
      double[][] im) {
    boolean parallel = RealFft2.isParallel(n0, n1);
    int qFrom = rowPass(src, rows, cols, stride, shift, n0, n1, re, im, parallel);
    RealFft2.split(n1 / 2 + 1, parallel && n1 >= 30,
        (x0, x1) -> AxisFft.stages(re, im, n0, x0, x1, qFrom, n0, false));
  }

  /**
   * As {@link #forward(double[], int, int, int, double, int, int, double[][], double[][])}, but the
   * spectrum times {@code scale} goes to the row-major {@code outRe}/{@code outIm} ({@code n0 x (n1/2+1)},
   * numpy's layout); {@code re}/{@code im} are working rows (contents destroyed).
   */
  static void forward(double[] src, int rows, int cols, int stride, double shift, int n0, int n1, double[][] re,
      double[][] im, double scale, double[] outRe, double[] outIm) {
    forward(src, rows, cols, stride, shift, n0, n1, re, im);
    int c1 = n1 / 2 + 1;
    for (int k = 0; k < n0; k++) {
      double[] r = re[k];
      double[] i = im[k];
      if (scale != 1.0) {
        // scaling in place, then copying: a loop from a row straight into the flat output would not
        // be vectorised (C2 cannot rule out that the two arrays overlap at different offsets)
        for (int x = 0; x < c1; x++) {
          r[x] *= scale;
          i[x] *= scale;
        }
      }
      System.arraycopy(r, 0, outRe, k * c1, c1);
      System.arraycopy(i, 0, outIm, k * c1, c1);
    }
  }

  /**
   * The row transforms into bit-reversed row order, ready for the column stages: by {@link RowFft}
   * where it applies (returns 1, the first column stage to run), else by JTransforms with the first
   * column stage (length 2) done too (returns 2): after bit reversal, rows {@code 2i} and
   * {@code 2i+1} hold input rows {@code k} and {@code k + n0/2} ({@code k} the bit reverse of
   * {@code 2i}), and their butterfly needs no twiddle, so each pair is transformed and combined while
   * it is in cache instead of in a separate pass.
   */
  private static int rowPass(double[] src, int rows, int cols, int stride, double shift, int n0, int n1,
      double[][] re, double[][] im, boolean parallel) {
    int usedRows = Math.min(rows, n0);
    int usedCols = Math.min(cols, n1);
    int c1 = n1 / 2 + 1;
    int h = n0 / 2;
    int bits = Integer.numberOfTrailingZeros(n0);
    if (RowFft.supports(n1, usedRows)) {
      RealFft2.split(usedRows, parallel,
          (from, to) -> RowFft.forward(src, stride, shift, usedCols, n1, from, to, bits, re, im));
      for (int k = usedRows; k < n0; k++) {
        int slot = Integer.reverse(k) >>> (32 - bits);
        Arrays.fill(re[slot], 0, c1, 0.0);
        Arrays.fill(im[slot], 0, c1, 0.0);
      }
      return 1;
    }
    DoubleFFT_1D rowPlan = n1 > 1 ? FftPlans.plan(n1) : null;
    if (n0 == 1) {
      double[] a = FftPlans.scratch(0, n1);
      if (usedRows > 0) {
        load(src, 0, stride, shift, usedCols, n1, a, rowPlan);
      } else {
        Arrays.fill(a, 0, n1, 0.0);
      }
      unpack(a, n1, re[0], im[0]);
      return 2;
    }
    RealFft2.split(h, parallel, (from, to) -> {
      double[] a = FftPlans.scratch(0, n1);
      for (int k = from; k < to; k++) {
        int slot = Integer.reverse(k) >>> (32 - bits);
        double[] r0 = re[slot];
        double[] i0 = im[slot];
        double[] r1 = re[slot + 1];
        double[] i1 = im[slot + 1];
        if (k >= usedRows) {
          Arrays.fill(r0, 0, c1, 0.0);
          Arrays.fill(i0, 0, c1, 0.0);
          Arrays.fill(r1, 0, c1, 0.0);
          Arrays.fill(i1, 0, c1, 0.0);
          continue;
        }
        load(src, k, stride, shift, usedCols, n1, a, rowPlan);
        unpack(a, n1, r0, i0);
        if (k + h < usedRows) {
          load(src, k + h, stride, shift, usedCols, n1, a, rowPlan);
          unpack(a, n1, r1, i1);
          AxisFft.sumAndDifference(r0, i0, r1, i1, 0, c1);
        } else {
          System.arraycopy(r0, 0, r1, 0, c1);
          System.arraycopy(i0, 0, i1, 0, c1);
        }
      }
    });
    return 2;
  }

  /** Input row {@code k} minus {@code shift}, zero-padded or cropped to {@code n1}, transformed into {@code a}. */
  private static void load(double[] src, int k, int stride, double shift, int usedCols, int n1,
      double[] a, DoubleFFT_1D rowPlan) {
    int srcOff = k * stride;
    for (int c = 0; c < usedCols; c++) {
      a[c] = src[srcOff + c] - shift;
    }
    Arrays.fill(a, usedCols, n1, 0.0);
    if (rowPlan != null) {
      rowPlan.realForward(a, 0);
    }
  }

  /** JTransforms' packed row {@code a} (layout in {@link RealFft2}) as bins {@code 0 .. n1/2} of {@code r}/{@code i}. */
  private static void unpack(double[] a, int n1, double[] r, double[] i) {
    int m = n1 / 2;
    r[0] = a[0];
    i[0] = 0.0;
    for (int l = 1; l < m; l++) {
      r[l] = a[2 * l];
      i[l] = a[2 * l + 1];
    }
    if (n1 > 1) {
      boolean even = (n1 & 1) == 0;
      r[m] = even ? a[1] : a[n1 - 1];
      i[m] = even ? 0.0 : a[1];
    }
  }

  /**
   * Inverse transform of the half spectrum in rows {@code 0 .. n0-1} of {@code re}/{@code im}
   * (destroyed, and the row references permuted) to the real {@code n0 x n1} array, of which rows
   * {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)} are written, times {@code scale}, to
   * {@code out} at {@code outOff}, row stride {@code outStride}. The imaginary parts of bin 0 and of
   * an even-length bin {@code n1/2} are ignored, as numpy's irfft does.
   */
  static void inverse(double[][] re, double[][] im, int n0, int n1, int rowFrom, int rowTo, int colFrom, int colTo,
      double scale, double[] out, int outOff, int outStride) {
    int c1 = n1 / 2 + 1;
    int m = n1 / 2;
    boolean parallel = RealFft2.isParallel(n0, n1);
    columns(re, im, n0, c1, true, parallel);
    DoubleFFT_1D rowPlan = n1 > 1 ? FftPlans.plan(n1) : null;
    // JTransforms' scaled realInverse is exact for every length (the unscaled one is not): undo its 1/n1
    double rowScale = scale * n1;
    int width = colTo - colFrom;
    RealFft2.split(rowTo - rowFrom, parallel, (from, to) -> {
      double[] buf = FftPlans.scratch(0, n1);
      for (int k = rowFrom + from; k < rowFrom + to; k++) {
        double[] r = re[k];
        double[] i = im[k];
        buf[0] = r[0];
        for (int l = 1; l < m; l++) {
          buf[2 * l] = r[l];
          buf[2 * l + 1] = i[l];
        }
        if (n1 > 1) {
          if ((n1 & 1) == 0) {
            buf[1] = r[m];
          } else {
            buf[n1 - 1] = r[m];
            buf[1] = i[m];
          }
          rowPlan.realInverse(buf, 0, true);
        }
        int dst = outOff + (k - rowFrom) * outStride;
        for (int c = 0; c < width; c++) {
          out[dst + c] = buf[colFrom + c] * rowScale;
        }
      }
    });
  }

  private static void columns(double[][] re, double[][] im, int n0, int c1, boolean inverse, boolean parallel) {
    if (n0 == 1) {
      return;
    }
    AxisFft.bitReverseRows(re, im, n0);
    // each thread takes a band of columns through all stages: the bands share no data
    RealFft2.split(c1, parallel && c1 >= 16, (x0, x1) -> AxisFft.stages(re, im, n0, x0, x1, inverse));
  }
}
