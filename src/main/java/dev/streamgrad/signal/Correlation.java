package dev.streamgrad.signal;

import dev.streamgrad.autograd.Tensor;
import java.util.Arrays;

/** scipy.signal's {@code correlate2d} and {@code convolve2d} (boundary 'fill' with zeros). */
public final class Correlation {
  private Correlation() {}

  public static Tensor correlate2d(Tensor in1, Tensor in2, Mode mode) {
    int[] a = in1.shape();
    int[] b = in2.shape();
    if (mode == Mode.VALID && swapNeeded(a, b)) {
      // scipy swaps the inputs and reverses the result
      Tensor swapped = convolve(in2, in1, Mode.VALID, false);
      return flip(swapped);
    }
    return convolve(in1, flip(in2), mode, true);
  }

  public static Tensor convolve2d(Tensor in1, Tensor in2, Mode mode) {
    int[] a = in1.shape();
    int[] b = in2.shape();
    if (mode == Mode.VALID && swapNeeded(a, b)) {
      return convolve(in2, in1, Mode.VALID, false);
    }
    return convolve(in1, in2, mode, false);
  }

  private static boolean swapNeeded(int[] a, int[] b) {
    boolean aBig = a[0] >= b[0] && a[1] >= b[1];
    boolean bBig = b[0] >= a[0] && b[1] >= a[1];
    if (!aBig && !bBig) {
      throw new IllegalArgumentException("in valid mode one input must be at least as large as the other in every"
          + " dimension, got " + Arrays.toString(a) + " and " + Arrays.toString(b));
    }
    return !aBig;
  }

  private static Tensor convolve(Tensor in1, Tensor kernel, Mode mode, boolean correlate) {
    int[] a = in1.shape();
    int[] k = kernel.shape();
    double[] x = in1.toArray();
    double[] f = kernel.toArray();
    int fullH = a[0] + k[0] - 1;
    int fullW = a[1] + k[1] - 1;
    int outH;
    int outW;
    int offH;
    int offW;
    if (mode == Mode.FULL) {
      outH = fullH;
      outW = fullW;
      offH = 0;
      offW = 0;
    } else if (mode == Mode.SAME) {
      outH = a[0];
      outW = a[1];
      // scipy centres 'same'; for correlation the flipped kernel shifts the centre by one on even sizes
      offH = correlate ? (k[0] - 1) - (k[0] - 1) / 2 : (k[0] - 1) / 2;
      offW = correlate ? (k[1] - 1) - (k[1] - 1) / 2 : (k[1] - 1) / 2;
    } else {
      outH = a[0] - k[0] + 1;
      outW = a[1] - k[1] + 1;
      offH = k[0] - 1;
      offW = k[1] - 1;
    }
    double[] out = new double[outH * outW];
    for (int i = 0; i < outH; i++) {
      for (int j = 0; j < outW; j++) {
        int fi = i + offH;
        int fj = j + offW;
        double s = 0;
        for (int p = 0; p < k[0]; p++) {
          int r = fi - p;
          if (r < 0 || r >= a[0]) {
            continue;
          }
          for (int q = 0; q < k[1]; q++) {
            int c = fj - q;
            if (c >= 0 && c < a[1]) {
              s += x[r * a[1] + c] * f[p * k[1] + q];
            }
          }
        }
        out[i * outW + j] = s;
      }
    }
    return Tensor.wrap(out, outH, outW);
  }

  private static Tensor flip(Tensor t) {
    double[] v = t.toArray();
    int n = v.length;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = v[n - 1 - i];
    }
    return Tensor.wrap(out, t.shape());
  }
}
