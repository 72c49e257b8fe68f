package dev.streamgrad.autograd.ops;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;
import java.util.Arrays;

/**
 * Broadcasting by numpy's (and PyTorch's) rules: shapes are aligned at their last dimension, the
 * shorter is read with leading 1s, and in each dimension the sizes must be equal or one of them 1;
 * the result takes the larger size ({@code [3, 1]} with {@code [1, 4]} gives {@code [3, 4]},
 * {@code [5]} with {@code [2, 5]} gives {@code [2, 5]}, a 0-D scalar goes with any shape). An
 * operand's gradient is the result's gradient summed back to the operand's shape, PyTorch's
 * {@code sum_to_size}.
 */
final class Broadcast {
  private Broadcast() {}

  /** The broadcast shape of the operands' shapes; an error naming {@code op} and every shape if none. */
  static int[] resultShape(String op, Tensor... operands) {
    int dims = 0;
    for (Tensor t : operands) {
      dims = Math.max(dims, t.dim());
    }
    int[] out = new int[dims];
    Arrays.fill(out, 1);
    for (Tensor t : operands) {
      int[] s = t.shape();
      for (int i = 1; i <= s.length; i++) {
        int have = out[dims - i];
        int size = s[s.length - i];
        if (size != have && have != 1 && size != 1) {
          throw new IllegalArgumentException(op + ": shapes " + describe(operands)
              + " cannot be broadcast: sizes " + have + " and " + size + " differ in dimension " + (dims - i)
              + " of the result (numpy's rules: aligned at the last dimension, equal or 1)");
        }
        if (have == 1) {
          out[dims - i] = size;
        }
      }
    }
    return out;
  }

  private static String describe(Tensor... operands) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < operands.length; i++) {
      b.append(i == 0 ? "" : i == operands.length - 1 ? " and " : ", ").append(Shapes.format(operands[i].shape()));
    }
    return b.toString();
  }

  /**
   * {@code t}'s values read at every element of the broadcast {@code result} shape, row-major: its
   * own buffer (not copied) when it has as many elements as the result, else a new array.
   */
  static double[] expand(Tensor t, int[] result) {
    double[] src = t.buffer();
    int n = Shapes.numel(result);
    if (src.length == n) {
      return src;
    }
    double[] out = new double[n];
    if (src.length == 1) {
      Arrays.fill(out, src[0]);
      return out;
    }
    int[] strides = strides(t.shape(), result);
    int[] index = new int[result.length];
    int off = 0;
    for (int k = 0; k < n; k++) {
      out[k] = src[off];
      // odometer over the result's index; the operand's offset moves by its stride (0 where broadcast)
      for (int d = result.length - 1; d >= 0; d--) {
        off += strides[d];
        if (++index[d] < result[d]) {
          break;
        }
        off -= strides[d] * result[d];
        index[d] = 0;
      }
    }
    return out;
  }

  /** Row-major strides of {@code shape} aligned to {@code result}'s dimensions, 0 where broadcast. */
  private static int[] strides(int[] shape, int[] result) {
    int[] strides = new int[result.length];
    int lead = result.length - shape.length;
    int stride = 1;
    for (int d = shape.length - 1; d >= 0; d--) {
      strides[lead + d] = shape[d] == 1 ? 0 : stride;
      stride *= shape[d];
    }
    return strides;
  }

  /**
   * Gradient for an operand of {@code shape} from the result's gradient {@code grad} of {@code
   * gradShape}: the same values when the operand was not broadcast (at most leading 1s differ),
   * else their sums over the broadcast dimensions, as {@code grad.sum_to_size(shape)}.
   */
  static Tensor reduce(double[] grad, int[] gradShape, int[] shape) {
    if (Shapes.numel(shape) == grad.length) {
      return Tensor.wrap(grad, shape);
    }
    boolean[] reduced = new boolean[gradShape.length];
    int lead = gradShape.length - shape.length;
    for (int d = 0; d < gradShape.length; d++) {
      reduced[d] = d < lead || shape[d - lead] == 1 && gradShape[d] != 1;
    }
    return Tensor.wrap(Reductions.sum(grad, gradShape, reduced), shape);
  }
}
