package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Shapes;
import java.util.Arrays;

/**
 * The kernel behind {@link Pad} and {@link Narrow}: a row-major copy of a tensor with {@code
 * before[d]} elements added in front of dimension {@code d} and {@code after[d]} behind it, filled
 * with a constant; a negative amount removes elements instead, so cropping is padding by negative
 * amounts and each op's backward is the other direction of the same copy. Stateless; the source is
 * not modified.
 */
final class ConstantPad {
  private ConstantPad() {}

  /** The padded shape; callers check that every size is non-negative. */
  static int[] paddedShape(int[] shape, int[] before, int[] after) {
    int[] out = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      out[d] = shape[d] + before[d] + after[d];
    }
    return out;
  }

  /** A new array of {@link #paddedShape}: {@code src}'s overlapping part copied, the rest {@code value}. */
  static double[] pad(double[] src, int[] shape, int[] before, int[] after, double value) {
    int dims = shape.length;
    int[] outShape = paddedShape(shape, before, after);
    double[] out = new double[Shapes.numel(outShape)];
    if (value != 0.0) {
      Arrays.fill(out, value);
    }
    if (dims == 0) {
      out[0] = src[0];
      return out;
    }
    // the source region that survives: [from[d], to[d]) in source coordinates
    int[] from = new int[dims];
    int[] to = new int[dims];
    for (int d = 0; d < dims; d++) {
      from[d] = Math.max(0, -before[d]);
      to[d] = Math.min(shape[d], shape[d] + after[d]);
      if (to[d] <= from[d]) {
        return out;
      }
    }
    int[] srcStrides = strides(shape);
    int[] outStrides = strides(outShape);
    int last = dims - 1;
    int rowLength = to[last] - from[last];
    int[] index = from.clone();
    while (true) {
      int s = 0;
      int o = 0;
      for (int d = 0; d < dims; d++) {
        s += index[d] * srcStrides[d];
        o += (index[d] + before[d]) * outStrides[d];
      }
      System.arraycopy(src, s, out, o, rowLength);
      int d = last - 1;
      while (d >= 0 && ++index[d] == to[d]) {
        index[d] = from[d];
        d--;
      }
      if (d < 0) {
        return out;
      }
    }
  }

  private static int[] strides(int[] shape) {
    int[] strides = new int[shape.length];
    for (int d = shape.length - 1, s = 1; d >= 0; d--) {
      strides[d] = s;
      s *= shape[d];
    }
    return strides;
  }
}
