package dev.streamgrad.autograd;

import java.util.Arrays;

/** Helpers for {@code int[]} shapes: element counts, printing and the checks done at public boundaries. */
public final class Shapes {
  private Shapes() {}

  /** Number of elements of a shape; 1 for the 0-dimensional shape {@code []}. */
  public static int numel(int... shape) {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + format(shape));
      }
      n *= d;
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("shape " + format(shape) + " has more than 2^31-1 elements");
      }
    }
    return (int) n;
  }

  /** Formats a shape the way PyTorch prints sizes in its messages: {@code [7, 6]}. */
  public static String format(int... shape) {
    return Arrays.toString(shape);
  }

  /** Whether two shapes are equal. */
  public static boolean same(int[] a, int[] b) {
    return Arrays.equals(a, b);
  }

  /**
   * PyTorch's {@code is_expandable_to(shape, desired)}: whether a tensor of {@code shape} broadcasts
   * to {@code desired} (trailing dimensions equal or 1, no extra leading dimensions).
   */
  public static boolean isExpandableTo(int[] shape, int[] desired) {
    if (shape.length > desired.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      int s = shape[shape.length - 1 - i];
      int d = desired[desired.length - 1 - i];
      if (s != d && s != 1) {
        return false;
      }
    }
    return true;
  }

  /** Throws with both shapes printed when {@code actual} differs from {@code expected}. */
  public static void requireSame(String what, int[] expected, int[] actual) {
    if (!same(expected, actual)) {
      throw new IllegalArgumentException(
          what + ": expected shape " + format(expected) + " but got " + format(actual));
    }
  }

  /** Throws unless the shape has exactly {@code dims} dimensions. */
  public static void requireDims(String what, int dims, int[] shape) {
    if (shape.length != dims) {
      throw new IllegalArgumentException(
          what + ": expected a " + dims + "-D tensor but got shape " + format(shape));
    }
  }

  /** Row-major position of {@code index} in a tensor of {@code shape}, checking every dimension. */
  public static int offset(int[] shape, int... index) {
    if (index.length != shape.length) {
      throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " has " + index.length
          + " dimensions, tensor has shape " + format(shape));
    }
    int off = 0;
    for (int d = 0; d < shape.length; d++) {
      if (index[d] < 0 || index[d] >= shape[d]) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " is out of bounds for shape " + format(shape));
      }
      off = off * shape[d] + index[d];
    }
    return off;
  }
}
