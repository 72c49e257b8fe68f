package dev.streamgrad.signal;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The real 2-D FFT for a power-of-two number of rows {@code n0} (any {@code n1}). The half spectrum
 * is held as rows: {@code re[k]}/{@code im[k]} hold bins {@code (k, 0 .. n1/2)} (numpy's
 * {@code [n0, n1/2+1]} layout, one array per row; the arrays may be longer than {@code n1/2+1}).
 * Rows are transformed by JTransforms' packed {@code realForward} (layout in {@link RealFft2}) and
 * unpacked straight into their row; the columns are then transformed in place by {@link AxisFft},
 * which is why the rows are separate arrays. No transposition at all, which is what makes this path
 * faster than {@link RealFft2}'s for the sizes it covers.
 */
final class SplitFft2 {
  private SplitFft2() {}

  static boolean supports(int n0) {
    return AxisFft.supports(n0);
  }

  /**
   * Forward transform of the {@code rows x cols} array {@code src} (row stride {@code stride}, each
   * value minus {@code shift}) zero-padded or cropped to {@code n0 x n1}, unscaled, into rows
   * {@code 0 .. n0-1} of {@code re}/{@code im} (the first {@code n1/2+1} values of each).
   */
  static void forward(double[] src, int rows, int cols, int stride, double shift, int n0, int n1, double[][] re,
      double[][] im) {
    int usedRows = Math.min(rows, n0);
    int usedCols = Math.min(cols, n1);
    int c1 = n1 / 2 + 1;
    int m = n1 / 2;
    boolean parallel = RealFft2.isParallel(n0, n1);
    DoubleFFT_1D rowPlan = n1 > 1 ? FftPlans.plan(n1) : null;
    RealFft2.split(usedRows, parallel, (from, to) -> {
      double[] buf = FftPlans.scratch(0, n1);
      for (int k = from; k < to; k++) {
        int srcOff = k * stride;
        for (int c = 0; c < usedCols; c++) {
          buf[c] = src[srcOff + c] - shift;
        }
        Arrays.fill(buf, usedCols, n1, 0.0);
        if (rowPlan != null) {
          rowPlan.realForward(buf, 0);
        }
        double[] r = re[k];
        double[] i = im[k];
        r[0] = buf[0];
        i[0] = 0.0;
        for (int l = 1; l < m; l++) {
          r[l] = buf[2 * l];
          i[l] = buf[2 * l + 1];
        }
        if (n1 > 1) {
          boolean even = (n1 & 1) == 0;
          r[m] = even ? buf[1] : buf[n1 - 1];
          i[m] = even ? 0.0 : buf[1];
        }
      }
    });
    for (int k = usedRows; k < n0; k++) {
      Arrays.fill(re[k], 0, c1, 0.0);
      Arrays.fill(im[k], 0, c1, 0.0);
    }
    columns(re, im, n0, c1, false, parallel);
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
