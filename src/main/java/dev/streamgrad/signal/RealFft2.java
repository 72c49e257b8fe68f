package dev.streamgrad.signal;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.jtransforms.fft.DoubleFFT_1D;
import org.visnow.jlargearrays.ConcurrencyUtils;

/**
 * The real 2-D FFT engine behind {@link Fft} and the FFT path of {@link Correlation}: real
 * transforms of the rows (JTransforms' packed {@code realForward}), then complex transforms of only
 * the {@code n1/2+1} columns the half spectrum needs.
 *
 * <p><b>Spectrum layout.</b> A spectrum of an {@code n0 x n1} real array is held column-major and
 * interleaved: bin {@code (k, l)}, {@code 0 <= k < n0}, {@code 0 <= l <= n1/2}, has its real part at
 * {@code spec[2 (l n0 + k)]} and its imaginary part right after. Each column is then one contiguous
 * complex vector that JTransforms transforms in place, and moving rows in and out of it is done in
 * blocks of {@value #BLOCK} rows so that the strided accesses stay in cache.
 *
 * <p><b>Packed rows.</b> JTransforms' {@code realForward} of length {@code n} stores bin 0's real part
 * at {@code p[0]}, bins {@code 1 <= l < m} (with {@code m = floor(n/2)}) at {@code p[2l], p[2l+1]},
 * and bin {@code m} (for {@code n > 1}) at {@code p[1]} if {@code n} is even (its imaginary part is
 * zero) or at {@code p[n-1], p[1]} if {@code n} is odd. The inverse reads the same layout, so it
 * ignores the imaginary parts of bin 0 and of the even-length Nyquist bin, exactly as numpy's
 * {@code irfft} does.
 */
final class RealFft2 {
  /** Rows moved between the row buffer and the column-major spectrum at a time. */
  static final int BLOCK = 8;

  private RealFft2() {}

  /** Doubles a spectrum of an {@code n0 x n1} transform needs. */
  static int specLength(int n0, int n1) {
    return 2 * n0 * (n1 / 2 + 1);
  }

  /**
   * Forward transform of the {@code rows x cols} array {@code src} (row stride {@code stride}, each
   * value minus {@code shift}) placed at the top left of an otherwise zero {@code n0 x n1} array;
   * rows or columns beyond {@code n0}/{@code n1} are cropped. Fills all of {@code spec}.
   */
  static void forward(double[] src, int rows, int cols, int stride, double shift, int n0, int n1, double[] spec) {
    int usedRows = Math.min(rows, n0);
    int usedCols = Math.min(cols, n1);
    int c1 = n1 / 2 + 1;
    boolean parallel = isParallel(n0, n1);
    DoubleFFT_1D rowPlan = n1 > 1 ? FftPlans.plan(n1) : null;
    split(usedRows, parallel, (from, to) -> {
      double[] buf = FftPlans.scratch(0, BLOCK * n1);
      for (int k0 = from; k0 < to; k0 += BLOCK) {
        int b = Math.min(BLOCK, to - k0);
        for (int i = 0; i < b; i++) {
          int off = i * n1;
          int srcOff = (k0 + i) * stride;
          for (int c = 0; c < usedCols; c++) {
            buf[off + c] = src[srcOff + c] - shift;
          }
          Arrays.fill(buf, off + usedCols, off + n1, 0.0);
          if (rowPlan != null) {
            rowPlan.realForward(buf, off);
          }
        }
        scatter(buf, b, n1, spec, n0, k0);
      }
    });
    if (usedRows < n0) {
      for (int l = 0; l < c1; l++) {
        Arrays.fill(spec, 2 * (l * n0 + usedRows), 2 * (l + 1) * n0, 0.0);
      }
    }
    if (n0 > 1) {
      DoubleFFT_1D colPlan = FftPlans.plan(n0);
      split(c1, parallel, (from, to) -> {
        for (int l = from; l < to; l++) {
          colPlan.complexForward(spec, 2 * l * n0);
        }
      });
    }
  }

  /**
   * Inverse transform of {@code spec} (destroyed) to the real {@code n0 x n1} array, of which only
   * rows {@code [rowFrom, rowTo)} and columns {@code [colFrom, colTo)} are computed and written,
   * times {@code scale}, to {@code out} at {@code outOff} with row stride {@code outStride}.
   */
  static void inverse(double[] spec, int n0, int n1, int rowFrom, int rowTo, int colFrom, int colTo, double scale,
      double[] out, int outOff, int outStride) {
    int c1 = n1 / 2 + 1;
    boolean parallel = isParallel(n0, n1);
    if (n0 > 1) {
      DoubleFFT_1D colPlan = FftPlans.plan(n0);
      split(c1, parallel, (from, to) -> {
        for (int l = from; l < to; l++) {
          colPlan.complexInverse(spec, 2 * l * n0, false);
        }
      });
    }
    DoubleFFT_1D rowPlan = n1 > 1 ? FftPlans.plan(n1) : null;
    int width = colTo - colFrom;
    double rowScale = scale * n1;
    split(rowTo - rowFrom, parallel, (from, to) -> {
      double[] buf = FftPlans.scratch(0, BLOCK * n1);
      for (int k0 = rowFrom + from; k0 < rowFrom + to; k0 += BLOCK) {
        int b = Math.min(BLOCK, rowFrom + to - k0);
        gather(spec, n0, k0, buf, b, n1);
        for (int i = 0; i < b; i++) {
          int off = i * n1;
          if (rowPlan != null) {
            // the unscaled realInverse of JTransforms 3.2 is off by a factor of 2 for some lengths
            // (powers of two); the scaled one is exact for all, so scale by 1/n1 and undo it below
            rowPlan.realInverse(buf, off, true);
          }
          int o = outOff + (k0 + i - rowFrom) * outStride;
          int from1 = off + colFrom;
          for (int c = 0; c < width; c++) {
            out[o + c] = buf[from1 + c] * rowScale;
          }
        }
      }
    });
  }

  /** Copies {@code b} packed rows from {@code buf} into spectrum rows {@code k0 ..}. */
  private static void scatter(double[] buf, int b, int n1, double[] spec, int n0, int k0) {
    int m = n1 / 2;
    int base = 2 * k0;
    for (int i = 0; i < b; i++) {
      spec[base + 2 * i] = buf[i * n1];
      spec[base + 2 * i + 1] = 0.0;
    }
    for (int l = 1; l < m; l++) {
      base = 2 * (l * n0 + k0);
      for (int i = 0; i < b; i++) {
        int p = i * n1 + 2 * l;
        spec[base + 2 * i] = buf[p];
        spec[base + 2 * i + 1] = buf[p + 1];
      }
    }
    if (n1 > 1) {
      base = 2 * (m * n0 + k0);
      boolean even = (n1 & 1) == 0;
      for (int i = 0; i < b; i++) {
        int p = i * n1;
        spec[base + 2 * i] = even ? buf[p + 1] : buf[p + n1 - 1];
        spec[base + 2 * i + 1] = even ? 0.0 : buf[p + 1];
      }
    }
  }

  /** Packs spectrum rows {@code k0 .. k0+b-1} into {@code b} rows of {@code buf}. */
  private static void gather(double[] spec, int n0, int k0, double[] buf, int b, int n1) {
    int m = n1 / 2;
    int base = 2 * k0;
    for (int i = 0; i < b; i++) {
      buf[i * n1] = spec[base + 2 * i];
    }
    for (int l = 1; l < m; l++) {
      base = 2 * (l * n0 + k0);
      for (int i = 0; i < b; i++) {
        int p = i * n1 + 2 * l;
        buf[p] = spec[base + 2 * i];
        buf[p + 1] = spec[base + 2 * i + 1];
      }
    }
    if (n1 > 1) {
      base = 2 * (m * n0 + k0);
      boolean even = (n1 & 1) == 0;
      for (int i = 0; i < b; i++) {
        int p = i * n1;
        if (even) {
          buf[p + 1] = spec[base + 2 * i];
        } else {
          buf[p + n1 - 1] = spec[base + 2 * i];
          buf[p + 1] = spec[base + 2 * i + 1];
        }
      }
    }
  }

  static boolean isParallel(int n0, int n1) {
    return FftThreads.get() > 1 && (long) n0 * n1 >= FftThreads.PARALLEL_MIN_POINTS;
  }

  /** A half-open range of work items. */
  interface Range {
    void run(int from, int to);
  }

  /** Runs {@code body} over {@code [0, count)}, split over the FFT threads when {@code parallel}. */
  static void split(int count, boolean parallel, Range body) {
    int tasks = parallel ? Math.min(FftThreads.get(), count) : 1;
    if (tasks <= 1) {
      body.run(0, count);
      return;
    }
    Future<?>[] futures = new Future<?>[tasks - 1];
    for (int t = 1; t < tasks; t++) {
      int from = (int) ((long) count * t / tasks);
      int to = (int) ((long) count * (t + 1) / tasks);
      futures[t - 1] = ConcurrencyUtils.submit(() -> body.run(from, to));
    }
    body.run(0, (int) ((long) count / tasks));
    try {
      ConcurrencyUtils.waitForCompletion(futures);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for FFT threads", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("FFT thread failed", e.getCause());
    }
  }
}
