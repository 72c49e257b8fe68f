package dev.streamgrad.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.autograd.Shapes;
import dev.streamgrad.autograd.Tensor;

/** Element-wise comparison of tensors with a relative tolerance, reporting the first bad element. */
public final class TensorAssert {
  private TensorAssert() {}

  /**
   * Asserts equal shapes and {@code |a - e| <= tol * max(1, max|e|)} for every element: relative to
   * the expected tensor's scale, so elements near zero are not held to an impossible bound.
   */
  public static void assertClose(Tensor actual, Tensor expected, double tol) {
    assertThat(actual.shape()).as("shape").containsExactly(expected.shape());
    double scale = 1.0;
    for (double v : expected.buffer()) {
      scale = Math.max(scale, Math.abs(v));
    }
    double[] a = actual.buffer();
    double[] e = expected.buffer();
    for (int i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i] - e[i]) <= tol * scale)) {
        throw new AssertionError("element " + i + " of shape " + Shapes.format(expected.shape()) + ": expected "
            + e[i] + " but got " + a[i] + " (difference " + Math.abs(a[i] - e[i]) + ", tolerance " + tol * scale + ")");
      }
    }
  }
}
