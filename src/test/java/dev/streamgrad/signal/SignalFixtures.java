package dev.streamgrad.signal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;

/** Decoding and comparison helpers for the fixtures of src/test/python/gen_signal_fixtures.py. */
final class SignalFixtures {
  /** The agreement required with numpy/scipy, relative to the largest expected magnitude. */
  static final double RTOL = 1e-10;

  private SignalFixtures() {}

  /** An {@code {"shape": [...], "data": base64 little-endian float64}} node as a tensor. */
  static Tensor tensor(JsonNode node) {
    int[] shape = shape(node);
    byte[] bytes = Base64.getDecoder().decode(node.get("data").asText());
    double[] data = new double[bytes.length / 8];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(data);
    return Tensor.wrap(data, shape);
  }

  static int[] shape(JsonNode node) {
    JsonNode s = node.get("shape");
    int[] shape = new int[s.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = s.get(i).asInt();
    }
    return shape;
  }

  /** The {@code s} argument, or null. */
  static int[] sizes(JsonNode s) {
    if (s == null || s.isNull()) {
      return null;
    }
    return new int[] {s.get(0).asInt(), s.get(1).asInt()};
  }

  /** Asserts the shape and that every value is within {@link #RTOL} times the largest expected magnitude. */
  static void assertClose(String what, int[] shape, double[] actual, Tensor expected) {
    assertThat(shape).as(what + " shape").containsExactly(expected.shape());
    double[] e = expected.buffer();
    double scale = 0;
    for (double v : e) {
      scale = Math.max(scale, Math.abs(v));
    }
    double tol = RTOL * Math.max(scale, Double.MIN_NORMAL);
    for (int i = 0; i < e.length; i++) {
      if (!(Math.abs(actual[i] - e[i]) <= tol)) {
        throw new AssertionError(what + ": element " + i + " of shape " + Arrays.toString(shape) + " is " + actual[i]
            + ", expected " + e[i] + " (tolerance " + tol + ")");
      }
    }
  }

  /**
   * Like {@link #assertClose}, for outputs holding NaN and infinities: each NaN and each infinity
   * (with its sign) where the expected one has it, the finite values within {@link #RTOL} times the
   * largest finite expected magnitude.
   */
  static void assertCloseNonFinite(String what, Tensor actual, Tensor expected) {
    assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
    double[] e = expected.buffer();
    double[] a = actual.buffer();
    double scale = 0;
    for (double v : e) {
      if (Double.isFinite(v)) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    double tol = RTOL * Math.max(scale, Double.MIN_NORMAL);
    for (int i = 0; i < e.length; i++) {
      boolean same = Double.isFinite(e[i]) ? Math.abs(a[i] - e[i]) <= tol
          : Double.isNaN(e[i]) ? Double.isNaN(a[i]) : a[i] == e[i];
      if (!same) {
        throw new AssertionError(what + ": element " + i + " of shape " + Arrays.toString(actual.shape()) + " is "
            + a[i] + ", expected " + e[i] + " (tolerance " + tol + ")");
      }
    }
  }
}
