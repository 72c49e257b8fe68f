package dev.streamgrad.signal;

import dev.streamgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * numpy.fft's {@code rfft2} and {@code irfft2} of 2-D tensors, on JTransforms.
 *
 * <p>Layout: a real input is a row-major {@code [H, W]} tensor; its half spectrum is a row-major
 * {@link ComplexTensor} of shape {@code [H, W/2+1]} (bins {@code 0 .. W/2} of the last axis, all
 * {@code H} bins of the first), exactly numpy's output. Every size works, {@code 1 x N},
 * {@code N x 1} and {@code 1 x 1} included, and lengths with large prime factors (JTransforms uses
 * Bluestein's algorithm there). Transforms run on the calling thread unless {@link FftThreads} says
 * otherwise. Plans and working buffers are cached per length and per thread ({@link FftPlans}).
 */
public final class Fft {
  private Fft() {}

  /** {@code numpy.fft.rfft2(x)}. */
  public static ComplexTensor rfft2(Tensor x) {
    return rfft2(x, null, Norm.BACKWARD);
  }

  /**
   * {@code numpy.fft.rfft2(x, s, norm)}: {@code s} (null for the input's shape) crops or zero-pads
   * the input to {@code s[0] x s[1]} first; the result has shape {@code [s[0], s[1]/2+1]}.
   */
  public static ComplexTensor rfft2(Tensor x, int[] s, Norm norm) {
    int[] shape = x.shape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("rfft2 needs a 2-D tensor, got shape " + Arrays.toString(shape));
    }
    int[] n = sizes("rfft2", s, shape[0], shape[1]);
    int n0 = n[0];
    int n1 = n[1];
    int c1 = n1 / 2 + 1;
    double scale = norm.forwardScale(n0 * (double) n1);
    double[] re = new double[n0 * c1];
    double[] im = new double[n0 * c1];
    if (SplitFft2.supports(n0)) {
      double[][] wr = FftPlans.rows(0, n0, c1);
      double[][] wi = FftPlans.rows(1, n0, c1);
      SplitFft2.forward(x.buffer(), shape[0], shape[1], shape[1], 0.0, n0, n1, wr, wi, scale, re, im);
      return new ComplexTensor(re, im, new int[] {n0, c1});
    }
    double[] spec = FftPlans.scratch(1, RealFft2.specLength(n0, n1));
    RealFft2.forward(x.buffer(), shape[0], shape[1], shape[1], 0.0, n0, n1, spec);
    // the spectrum is column-major: transpose it in blocks of rows so both sides stay in cache
    for (int k0 = 0; k0 < n0; k0 += RealFft2.BLOCK) {
      int b = Math.min(RealFft2.BLOCK, n0 - k0);
      for (int l = 0; l < c1; l++) {
        int base = 2 * (l * n0 + k0);
        for (int i = 0; i < b; i++) {
          re[(k0 + i) * c1 + l] = spec[base + 2 * i] * scale;
          im[(k0 + i) * c1 + l] = spec[base + 2 * i + 1] * scale;
        }
      }
    }
    return new ComplexTensor(re, im, new int[] {n0, c1});
  }

  /** {@code numpy.fft.irfft2} of a real-valued spectrum (imaginary parts zero). */
  public static Tensor irfft2(Tensor spectrum, int[] s, Norm norm) {
    return irfft2(new ComplexTensor(spectrum.toArray(), new double[spectrum.numel()], spectrum.shape()), s, norm);
  }

  /** {@code numpy.fft.irfft2(X)}: output shape {@code [M0, 2 (M1 - 1)]}. */
  public static Tensor irfft2(ComplexTensor spectrum) {
    return irfft2(spectrum, null, Norm.BACKWARD);
  }

  /**
   * {@code numpy.fft.irfft2(X, s, norm)}: the output is {@code s[0] x s[1]} (default
   * {@code M0 x 2 (M1 - 1)} for an {@code [M0, M1]} spectrum); the spectrum is cropped or zero-padded
   * to {@code [s[0], s[1]/2+1]} first, and the imaginary parts of the last axis' bin 0 (and, for an
   * even {@code s[1]}, bin {@code s[1]/2}) are ignored, as numpy does.
   */
  public static Tensor irfft2(ComplexTensor spectrum, int[] s, Norm norm) {
    int[] shape = spectrum.shape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("irfft2 needs a 2-D spectrum, got shape " + Arrays.toString(shape));
    }
    int m0 = shape[0];
    int m1 = shape[1];
    if (s == null && m1 < 2) {
      throw new IllegalArgumentException("Invalid number of FFT data points (" + 2 * (m1 - 1) + ") specified: irfft2"
          + " of a spectrum of shape " + Arrays.toString(shape) + " has default output width 2*(m-1); pass s");
    }
    int[] n = sizes("irfft2", s, m0, 2 * (m1 - 1));
    int n0 = n[0];
    int n1 = n[1];
    int c1 = n1 / 2 + 1;
    double[] re = spectrum.re();
    double[] im = spectrum.im();
    int rows = Math.min(n0, m0);
    int cols = Math.min(c1, m1);
    double[] out = new double[n0 * n1];
    double scale = norm.inverseScale(n0 * (double) n1);
    if (SplitFft2.supports(n0)) {
      double[][] wr = FftPlans.rows(0, n0, c1);
      double[][] wi = FftPlans.rows(1, n0, c1);
      for (int k = 0; k < n0; k++) {
        int copied = k < rows ? cols : 0;
        if (copied > 0) {
          System.arraycopy(re, k * m1, wr[k], 0, copied);
          System.arraycopy(im, k * m1, wi[k], 0, copied);
        }
        Arrays.fill(wr[k], copied, c1, 0.0);
        Arrays.fill(wi[k], copied, c1, 0.0);
      }
      SplitFft2.inverse(wr, wi, n0, n1, 0, n0, 0, n1, scale, out, 0, n1);
      return Tensor.wrap(out, n0, n1);
    }
    double[] spec = FftPlans.scratch(1, RealFft2.specLength(n0, n1));
    for (int k0 = 0; k0 < rows; k0 += RealFft2.BLOCK) {
      int b = Math.min(RealFft2.BLOCK, rows - k0);
      for (int l = 0; l < cols; l++) {
        int base = 2 * (l * n0 + k0);
        for (int i = 0; i < b; i++) {
          spec[base + 2 * i] = re[(k0 + i) * m1 + l];
          spec[base + 2 * i + 1] = im[(k0 + i) * m1 + l];
        }
      }
    }
    for (int l = 0; l < c1; l++) {
      int from = l < cols ? 2 * (l * n0 + rows) : 2 * l * n0;
      Arrays.fill(spec, from, 2 * (l + 1) * n0, 0.0);
    }
    RealFft2.inverse(spec, n0, n1, 0, n0, 0, n1, scale, out, 0, n1);
    return Tensor.wrap(out, n0, n1);
  }

  private static int[] sizes(String op, int[] s, int default0, int default1) {
    if (s == null) {
      if (default0 < 1 || default1 < 1) {
        throw new IllegalArgumentException("Invalid number of FFT data points (" + default0 + ", " + default1
            + ") specified: " + op + " of an empty input");
      }
      return new int[] {default0, default1};
    }
    if (s.length != 2) {
      throw new IllegalArgumentException(op + " needs s with 2 sizes, got " + Arrays.toString(s));
    }
    if (s[0] < 1 || s[1] < 1) {
      throw new IllegalArgumentException("Invalid number of FFT data points " + Arrays.toString(s) + " for " + op);
    }
    return s.clone();
  }
}
