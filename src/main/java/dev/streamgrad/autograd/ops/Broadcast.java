package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;

/**
 * The broadcasting that streamgrad supports: equal shapes, or one operand with a single element (a
 * 0-D scalar or a {@code 1x1}), which stands for every element of the other.
 */
final class Broadcast {
  private Broadcast() {}

  static int[] resultShape(String op, Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    if (Shapes.same(as, bs)) {
      return as;
    }
    if (b.numel() == 1 && (a.numel() != 1 || as.length >= bs.length)) {
      return as;
    }
    if (a.numel() == 1) {
      return bs;
    }
    throw new IllegalArgumentException(op + ": shapes " + Shapes.format(as) + " and " + Shapes.format(bs)
        + " cannot be broadcast (only equal shapes or a single-element operand are supported)");
  }

  /** Value {@code k} of {@code t} broadcast over {@code n} elements. */
  static double at(double[] t, int k) {
    return t.length == 1 ? t[0] : t[k];
  }

  /** Gradient for an operand of {@code shape}: as is, or summed when the operand was broadcast. */
  static Tensor reduce(double[] grad, int[] gradShape, int[] shape) {
    if (Shapes.same(gradShape, shape)) {
      return Tensor.wrap(grad, shape);
    }
    double sum = 0;
    for (double g : grad) {
      sum += g;
    }
    return Tensor.full(sum, shape);
  }
}
