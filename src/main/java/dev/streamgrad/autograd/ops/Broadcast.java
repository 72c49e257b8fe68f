package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Sums;
import dev.streamgrad.autograd.Tensor;

/**
 * The broadcasting that streamgrad supports: equal shapes, or one operand with a single element (a
 * 0-D scalar or a {@code 1x1}), which stands for every element of the other. The result shape is
 * torch's: the other operand's shape, with leading 1s when the single-element operand has more
 * dimensions ({@code [2, 3]} with {@code [1, 1, 1]} gives {@code [1, 2, 3]}), so the row-major
 * layout of the larger operand is the result's layout.
 */
final class Broadcast {
  private Broadcast() {}

  static int[] resultShape(String op, Tensor a, Tensor b) {
    int[] as = a.shape();
    int[] bs = b.shape();
    if (Shapes.same(as, bs)) {
      return as;
    }
    if (b.numel() == 1) {
      return withLeadingOnes(as, bs.length);
    }
    if (a.numel() == 1) {
      return withLeadingOnes(bs, as.length);
    }
    throw new IllegalArgumentException(op + ": shapes " + Shapes.format(as) + " and " + Shapes.format(bs)
        + " cannot be broadcast (only equal shapes or a single-element operand are supported)");
  }

  private static int[] withLeadingOnes(int[] shape, int dims) {
    if (dims <= shape.length) {
      return shape;
    }
    int[] out = new int[dims];
    int lead = dims - shape.length;
    for (int d = 0; d < dims; d++) {
      out[d] = d < lead ? 1 : shape[d - lead];
    }
    return out;
  }

  /** Value {@code k} of {@code t} broadcast over the result's elements. */
  static double at(double[] t, int k) {
    return t.length == 1 ? t[0] : t[k];
  }

  /**
   * Gradient for an operand of {@code shape} from the result's gradient: the same values when the
   * operand was not broadcast (at most leading 1s differ), else their sum.
   */
  static Tensor reduce(double[] grad, int[] gradShape, int[] shape) {
    if (Shapes.numel(shape) == grad.length) {
      return Tensor.wrap(grad, shape);
    }
    return Tensor.full(Sums.sum(grad), shape);
  }
}
