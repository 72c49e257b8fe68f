package dev.streamgrad.signal;

import dev.streamgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * {@code scipy.signal.correlate2d} and {@code convolve2d} (scipy 1.10 semantics) of 2-D tensors,
 * computed directly or with FFTs.
 *
 * <p>Layout: inputs and output are row-major 2-D tensors. For {@code in1} of {@code H1 x W1} and
 * {@code in2} of {@code H2 x W2} the output is {@code (H1+H2-1) x (W1+W2-1)} in {@link Mode#FULL},
 * {@code H1 x W1} in {@link Mode#SAME} and {@code (|H1-H2|+1) x (|W1-W2|+1)} in {@link Mode#VALID}.
 * As in scipy:
 *
 * <ul>
 *   <li>{@code same} takes the centre of the full output with scipy's offsets, so that for an even
 *       kernel size correlation and convolution select different windows;
 *   <li>in {@code valid} mode, when {@code in2} is at least as large as {@code in1} in every
 *       dimension and larger in one, the inputs are swapped, and {@code correlate2d} then reverses
 *       its result in both axes; when neither is at least as large in every dimension it is an
 *       error with scipy's text;
 *   <li>boundaries {@code fill} (with {@code fillvalue}), {@code wrap} and {@code symm} extend
 *       {@code in1} outside its edges.
 * </ul>
 *
 * <p>Method: scipy's {@code correlate2d} is always direct and its FFT path ({@code
 * scipy.signal.correlate(method='fft')}) knows only zero filling. Here {@link Method#FFT} supports
 * every boundary and fill value (see {@link FftCorrelation}) and agrees with {@link Method#DIRECT} to
 * rounding; {@link Method#AUTO} picks the one {@link #chooseMethod} estimates cheaper, for every
 * boundary, from the shapes alone (a handful of arithmetic operations, cheap enough for every
 * record), and the direct path whenever an input value or the used fill value is NaN or infinite.
 * The FFT would spread such a value over the whole output, where scipy's {@code correlate2d} and
 * {@code convolve2d} keep it in the outputs whose window holds it. ({@code scipy.signal.convolve
 * (method='auto')} does not look at the values: it may take the FFT and then warns "Use of fft
 * convolution on input with NAN or inf results in NAN or inf output".)
 */
public final class Correlation {
  /** Cost per multiply-add of the direct path, in the same (arbitrary) unit as {@link #FFT_COST}. */
  static final double DIRECT_COST = 1.0;
  /**
   * Cost per {@code N log2 N} of the FFT path (three real 2-D transforms of {@code N} points) when
   * the row count is a power of two ({@link SplitFft2}), measured on the sizes against
   * {@link #DIRECT_COST} (best of 8 JMH iterations, 2026-11-29, register-blocked direct path and
   * vectorised FFT: one multiply-add about 0.2 ns; 256x256 * 5x5 valid 616 us by FFT, 301 us direct;
   * 512x512 * 31x31 valid 3.16 ms by FFT).
   */
  static final double FFT_COST = 3.0;
  /**
   * The same for other row counts ({@link RealFft2}, which transposes): 256x256 * 5x5 full 1.86 ms,
   * 512x512 * 31x31 full 9.38 ms by FFT.
   */
  static final double FFT_COST_TRANSPOSED = 7.8;
  /** Fixed cost of the FFT path (plans lookup, buffers), in multiply-adds. */
  static final double FFT_OVERHEAD = 2000;

  private Correlation() {}

  /** {@code scipy.signal.correlate2d(in1, in2, mode)}: zero fill, automatic method. */
  public static Tensor correlate2d(Tensor in1, Tensor in2, Mode mode) {
    return correlate2d(in1, in2, mode, Boundary.FILL, 0.0, Method.AUTO);
  }

  /** {@code scipy.signal.correlate2d(in1, in2, mode, boundary, fillvalue)}, automatic method. */
  public static Tensor correlate2d(Tensor in1, Tensor in2, Mode mode, Boundary boundary, double fillvalue) {
    return correlate2d(in1, in2, mode, boundary, fillvalue, Method.AUTO);
  }

  /** {@code scipy.signal.correlate2d(in1, in2, mode, boundary, fillvalue)} computed by {@code method}. */
  public static Tensor correlate2d(Tensor in1, Tensor in2, Mode mode, Boundary boundary, double fillvalue,
      Method method) {
    return compute("correlate2d", false, in1, in2, mode, boundary, fillvalue, method);
  }

  /**
   * {@link #correlate2d(Tensor, Tensor, Mode)} written into {@code out}, which must have the output's
   * shape and is overwritten (nothing else is modified): for a caller that makes one correlation
   * after another of the same shapes and drops each result before the next, so that it does not
   * allocate (and write into cold memory) an output per call.
   *
   * @return {@code out}
   */
  public static Tensor correlate2d(Tensor in1, Tensor in2, Mode mode, Tensor out) {
    Plan p = Plan.of("correlate2d", false, in1.shape(), in2.shape(), mode);
    int[] shape = out.shape();
    if (shape.length != 2 || shape[0] != p.outH || shape[1] != p.outW) {
      throw new IllegalArgumentException("correlate2d of shapes " + Arrays.toString(in1.shape()) + " and "
          + Arrays.toString(in2.shape()) + " in mode " + mode + " gives shape [" + p.outH + ", " + p.outW
          + "], but out has shape " + Arrays.toString(shape));
    }
    compute(p, false, in1, in2, Boundary.FILL, 0.0, Method.AUTO, out.buffer());
    out.markModified();
    return out;
  }

  /** {@code scipy.signal.convolve2d(in1, in2, mode)}: zero fill, automatic method. */
  public static Tensor convolve2d(Tensor in1, Tensor in2, Mode mode) {
    return convolve2d(in1, in2, mode, Boundary.FILL, 0.0, Method.AUTO);
  }

  /** {@code scipy.signal.convolve2d(in1, in2, mode, boundary, fillvalue)}, automatic method. */
  public static Tensor convolve2d(Tensor in1, Tensor in2, Mode mode, Boundary boundary, double fillvalue) {
    return convolve2d(in1, in2, mode, boundary, fillvalue, Method.AUTO);
  }

  /** {@code scipy.signal.convolve2d(in1, in2, mode, boundary, fillvalue)} computed by {@code method}. */
  public static Tensor convolve2d(Tensor in1, Tensor in2, Mode mode, Boundary boundary, double fillvalue,
      Method method) {
    return compute("convolve2d", true, in1, in2, mode, boundary, fillvalue, method);
  }

  /**
   * The method {@link Method#AUTO} uses for these shapes: {@link Method#DIRECT} or {@link Method#FFT},
   * whichever has the lower estimated cost. Like {@code scipy.signal.choose_conv_method}, the
   * estimate counts multiply-adds for the direct path and {@code N log N} for three FFTs of the
   * padded size, with constants measured for this implementation (docs/signal-benchmarks.md). The
   * inputs' values are not looked at: {@link Method#AUTO} takes the direct path for non-finite ones.
   */
  public static Method chooseMethod(int[] shape1, int[] shape2, Mode mode) {
    Plan p = Plan.of("chooseMethod", false, shape1, shape2, mode);
    return p.useFft() ? Method.FFT : Method.DIRECT;
  }

  private static Tensor compute(String op, boolean convolve, Tensor in1, Tensor in2, Mode mode, Boundary boundary,
      double fillvalue, Method method) {
    Plan p = Plan.of(op, convolve, in1.shape(), in2.shape(), mode);
    return Tensor.wrap(compute(p, convolve, in1, in2, boundary, fillvalue, method, null), p.outH, p.outW);
  }

  /** The output values of plan {@code p}, in {@code into} when it is not null (of the output's size). */
  private static double[] compute(Plan p, boolean convolve, Tensor in1, Tensor in2, Boundary boundary,
      double fillvalue, Method method, double[] into) {
    double[] x = (p.swapped ? in2 : in1).buffer();
    double[] h = (p.swapped ? in1 : in2).buffer();
    // AUTO takes the FFT only where it gives the direct sum's numbers: a NaN or infinity would spread
    // over the whole output through the transforms (scipy's correlate2d, always direct, keeps it local)
    boolean fft = method == Method.FFT || (method == Method.AUTO && p.useFft() && allFinite(x) && allFinite(h)
        && (boundary != Boundary.FILL || Double.isFinite(fillvalue)));
    double[] out;
    if (fft) {
      out = FftCorrelation.run(x, p.rows, p.cols, h, p.kh, p.kw, convolve, p.o0, p.o1, p.outH, p.outW, boundary,
          fillvalue);
      if (into != null) {
        System.arraycopy(out, 0, into, 0, out.length);
        out = into;
      }
    } else {
      out = DirectCorrelation.run(x, p.rows, p.cols, h, p.kh, p.kw, convolve, p.o0, p.o1, p.outH, p.outW, boundary,
          fillvalue, into);
    }
    if (p.swapped && !convolve) {
      // scipy's correlate2d reverses the result of the swapped correlation
      for (int i = 0, j = out.length - 1; i < j; i++, j--) {
        double t = out[i];
        out[i] = out[j];
        out[j] = t;
      }
    }
    return out;
  }

  /** Whether every value is finite (one pass; only run when the FFT path is about to be taken). */
  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /** The shapes, offsets and swap of one call, in {@link DirectCorrelation}'s formulation. */
  private static final class Plan {
    int rows;
    int cols;
    int kh;
    int kw;
    int o0;
    int o1;
    int outH;
    int outW;
    boolean swapped;

    static Plan of(String op, boolean convolve, int[] a, int[] b, Mode mode) {
      if (a.length != 2 || b.length != 2) {
        throw new IllegalArgumentException(op + " inputs must both be 2-D arrays, got shapes "
            + Arrays.toString(a) + " and " + Arrays.toString(b));
      }
      if (a[0] == 0 || a[1] == 0 || b[0] == 0 || b[1] == 0) {
        throw new IllegalArgumentException(op + " inputs must not be empty, got shapes "
            + Arrays.toString(a) + " and " + Arrays.toString(b));
      }
      Plan p = new Plan();
      if (mode == Mode.VALID) {
        boolean ok1 = a[0] >= b[0] && a[1] >= b[1];
        boolean ok2 = b[0] >= a[0] && b[1] >= a[1];
        if (!ok1 && !ok2) {
          throw new IllegalArgumentException("For 'valid' mode, one must be at least as large as the other in every"
              + " dimension; got shapes " + Arrays.toString(a) + " and " + Arrays.toString(b));
        }
        p.swapped = !ok1;
      }
      int[] x = p.swapped ? b : a;
      int[] k = p.swapped ? a : b;
      p.rows = x[0];
      p.cols = x[1];
      p.kh = k[0];
      p.kw = k[1];
      switch (mode) {
        case FULL:
          p.outH = p.rows + p.kh - 1;
          p.outW = p.cols + p.kw - 1;
          p.o0 = -(p.kh - 1);
          p.o1 = -(p.kw - 1);
          break;
        case SAME:
          p.outH = p.rows;
          p.outW = p.cols;
          // scipy: a correlation starts (k-1)/2 before the first sample, a convolution of the
          // rotated kernel k-1-(k-1)/2 before; they differ by one for even kernel sizes
          p.o0 = convolve ? -(p.kh - 1 - ((p.kh - 1) >> 1)) : -((p.kh - 1) >> 1);
          p.o1 = convolve ? -(p.kw - 1 - ((p.kw - 1) >> 1)) : -((p.kw - 1) >> 1);
          break;
        default:
          p.outH = p.rows - p.kh + 1;
          p.outW = p.cols - p.kw + 1;
          break;
      }
      return p;
    }

    boolean useFft() {
      double direct = DIRECT_COST * p(kh, kw) * p(outH, outW);
      if (direct <= FFT_OVERHEAD * 4) {
        return false; // small enough that no FFT can win: skip sizing one (the trainer's case)
      }
      int n0 = FftCorrelation.fftLength(rows, kh, o0 + kh - 1, outH);
      int n1 = FftCorrelation.fftLength(cols, kw, o1 + kw - 1, outW);
      double n = p(n0, n1);
      double perPoint = SplitFft2.supports(n0) ? FFT_COST : FFT_COST_TRANSPOSED;
      double fft = perPoint * n * Math.log(n) / Math.log(2) + FFT_OVERHEAD;
      return fft < direct;
    }

    private static double p(int a, int b) {
      return (double) a * b;
    }
  }
}
