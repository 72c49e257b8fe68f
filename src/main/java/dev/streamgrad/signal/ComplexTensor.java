package dev.streamgrad.signal;

import dev.streamgrad.autograd.Tensor;
import java.util.Arrays;

/** A dense complex array, row-major, with real and imaginary parts in separate arrays. */
public final class ComplexTensor {
  private final double[] re;
  private final double[] im;
  private final int[] shape;

  /** Wraps the arrays (not copied); both must hold {@code prod(shape)} values. */
  public ComplexTensor(double[] re, double[] im, int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    if (re.length != n || im.length != n) {
      throw new IllegalArgumentException("complex tensor of shape " + Arrays.toString(shape) + " needs " + n
          + " values, got re " + re.length + " and im " + im.length);
    }
    this.re = re;
    this.im = im;
    this.shape = shape.clone();
  }

  public int[] shape() {
    return shape.clone();
  }

  /** The real parts (live, not a copy). */
  public double[] re() {
    return re;
  }

  /** The imaginary parts (live, not a copy). */
  public double[] im() {
    return im;
  }

  /** Element-wise magnitude as a new real tensor. */
  public Tensor abs() {
    double[] out = new double[re.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.hypot(re[i], im[i]);
    }
    return Tensor.wrap(out, shape);
  }
}
