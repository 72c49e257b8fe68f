package dev.streamgrad.signal;

import dev.streamgrad.autograd.Tensor;
import java.util.Arrays;

/** numpy.fft's {@code rfft2} and {@code irfft2} over the last two axes of a 2-D tensor. */
public final class Fft {
  private Fft() {}

  public static ComplexTensor rfft2(Tensor x) {
    return rfft2(x, null, Norm.BACKWARD);
  }

  /** numpy.fft.rfft2(x, s, norm): {@code s} crops or zero-pads the input first. */
  public static ComplexTensor rfft2(Tensor x, int[] s, Norm norm) {
    int[] shape = x.shape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("rfft2 needs a 2-D tensor, got shape " + Arrays.toString(shape));
    }
    int h = s == null ? shape[0] : s[0];
    int w = s == null ? shape[1] : s[1];
    if (h < 1 || w < 1) {
      throw new IllegalArgumentException("invalid FFT size " + h + "x" + w);
    }
    double[] src = x.toArray();
    int cols = w / 2 + 1;
    double[] re = new double[h * cols];
    double[] im = new double[h * cols];
    double scale = forwardScale(norm, h * (double) w);
    for (int k = 0; k < h; k++) {
      for (int l = 0; l < cols; l++) {
        double sr = 0;
        double si = 0;
        for (int m = 0; m < Math.min(h, shape[0]); m++) {
          for (int n = 0; n < Math.min(w, shape[1]); n++) {
            double angle = -2 * Math.PI * (((long) k * m % h) / (double) h + ((long) l * n % w) / (double) w);
            double v = src[m * shape[1] + n];
            sr += v * Math.cos(angle);
            si += v * Math.sin(angle);
          }
        }
        re[k * cols + l] = sr * scale;
        im[k * cols + l] = si * scale;
      }
    }
    return new ComplexTensor(re, im, new int[] {h, cols});
  }

  /** numpy.fft.irfft2 of a real-valued spectrum (imaginary parts zero). */
  public static Tensor irfft2(Tensor spectrum, int[] s, Norm norm) {
    return irfft2(new ComplexTensor(spectrum.toArray(), new double[spectrum.numel()], spectrum.shape()), s, norm);
  }

  /** numpy.fft.irfft2(X, s, norm): output width {@code 2*(m-1)} unless {@code s} says otherwise. */
  public static Tensor irfft2(ComplexTensor spectrum, int[] s, Norm norm) {
    int[] shape = spectrum.shape();
    int h = s == null ? shape[0] : s[0];
    int w = s == null ? 2 * (shape[1] - 1) : s[1];
    if (h < 1 || w < 1) {
      throw new IllegalArgumentException("invalid output size " + h + "x" + w + " for spectrum "
          + Arrays.toString(shape));
    }
    int cols = w / 2 + 1;
    // numpy crops/zero-pads the complex input to (h, w/2+1) first
    double[] re = new double[h * cols];
    double[] im = new double[h * cols];
    for (int k = 0; k < Math.min(h, shape[0]); k++) {
      for (int l = 0; l < Math.min(cols, shape[1]); l++) {
        re[k * cols + l] = spectrum.re()[k * shape[1] + l];
        im[k * cols + l] = spectrum.im()[k * shape[1] + l];
      }
    }
    // inverse complex FFT over axis 0, then complex-to-real over axis 1 (imag of DC/Nyquist ignored)
    double[] cr = new double[h * cols];
    double[] ci = new double[h * cols];
    for (int m = 0; m < h; m++) {
      for (int l = 0; l < cols; l++) {
        double sr = 0;
        double si = 0;
        for (int k = 0; k < h; k++) {
          double angle = 2 * Math.PI * (((long) k * m) % h) / h;
          double c = Math.cos(angle);
          double sn = Math.sin(angle);
          sr += re[k * cols + l] * c - im[k * cols + l] * sn;
          si += re[k * cols + l] * sn + im[k * cols + l] * c;
        }
        cr[m * cols + l] = sr;
        ci[m * cols + l] = si;
      }
    }
    double[] out = new double[h * w];
    double scale = inverseScale(norm, h * (double) w);
    for (int m = 0; m < h; m++) {
      for (int n = 0; n < w; n++) {
        double v = cr[m * cols];
        for (int l = 1; l < cols; l++) {
          boolean nyquist = w % 2 == 0 && l == w / 2;
          double angle = 2 * Math.PI * (((long) l * n) % w) / w;
          double term = cr[m * cols + l] * Math.cos(angle) - ci[m * cols + l] * Math.sin(angle);
          v += nyquist ? cr[m * cols + l] * Math.cos(angle) : 2 * term;
        }
        out[m * w + n] = v * scale;
      }
    }
    return Tensor.wrap(out, h, w);
  }

  private static double forwardScale(Norm norm, double n) {
    switch (norm) {
      case ORTHO:
        return 1 / Math.sqrt(n);
      case FORWARD:
        return 1 / n;
      default:
        return 1;
    }
  }

  private static double inverseScale(Norm norm, double n) {
    switch (norm) {
      case ORTHO:
        return 1 / Math.sqrt(n);
      case BACKWARD:
        return 1 / n;
      default:
        return 1;
    }
  }
}
