package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.nn.MseLoss;
import dev.streamgrad.testing.Fixtures;
import dev.streamgrad.testing.TensorAssert;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in op's output (values and shape, broadcasting included) and input gradients against
 * what PyTorch computes for the same inputs and grad_output (fixtures/autograd/ops.json and
 * tensor_ops.json): within 1e-15 of the values' scale, and bit for bit where streamgrad follows
 * torch's order of operations.
 */
class OpsTorchTest {
  private static final double TOL = 1e-15;
  private static final Set<String> TRANSCENDENTAL = Set.of("exp", "log", "tanh", "sigmoid");
  private static int exact;
  private static int total;

  static Stream<JsonNode> cases() {
    return Stream.concat(Fixtures.cases("autograd/ops.json").stream(),
        Fixtures.cases("autograd/tensor_ops.json").stream());
  }

  @AfterAll
  static void report() {
    System.out.printf(Locale.ROOT, "ops vs torch: %d of %d outputs and gradients bit-identical%n", exact, total);
  }

  private static Tensor apply(String op, JsonNode param, Tensor[] in) {
    switch (op) {
      case "add":
        return in[0].add(in[1]);
      case "sub":
        return in[0].sub(in[1]);
      case "mul":
        return in[0].mul(in[1]);
      case "div":
        return in[0].div(in[1]);
      case "add_scalar":
        return in[0].add(param.asDouble());
      case "sub_scalar":
        return in[0].sub(param.asDouble());
      case "mul_scalar":
        return in[0].mul(param.asDouble());
      case "div_scalar":
        return in[0].div(param.asDouble());
      case "neg":
        return in[0].neg();
      case "pow":
        return in[0].pow(param.asDouble());
      case "abs":
        return in[0].abs();
      case "sum":
        return in[0].sum();
      case "mean":
        return in[0].mean();
      case "reshape":
        return in[0].reshape(ints(param));
      case "mse_loss":
        return MseLoss.mseLoss(in[0], in[1]);
      default:
        return applyTensorOp(op, param, in);
    }
  }

  /** The ops of tensor_ops.json, whose parameters are objects. */
  private static Tensor applyTensorOp(String op, JsonNode p, Tensor[] in) {
    switch (op) {
      case "exp":
        return in[0].exp();
      case "log":
        return in[0].log();
      case "sqrt":
        return in[0].sqrt();
      case "tanh":
        return in[0].tanh();
      case "sigmoid":
        return in[0].sigmoid();
      case "relu":
        return in[0].relu();
      case "clamp":
        return !p.has("max") ? in[0].clampMin(p.get("min").asDouble())
            : !p.has("min") ? in[0].clampMax(p.get("max").asDouble())
            : in[0].clamp(p.get("min").asDouble(), p.get("max").asDouble());
      case "where":
        return in[1].where(in[0], in[2]);
      case "masked_fill":
        return in[0].maskedFill(in[0].gt(p.get("threshold").asDouble()), p.get("value").asDouble());
      case "narrow":
        return in[0].narrow(p.get("dim").asInt(), p.get("start").asInt(), p.get("length").asInt());
      case "slice":
        return in[0].slice(p.get("dim").asInt(), p.get("start").asInt(), p.get("end").asInt());
      case "pad":
        return in[0].pad(ints(p.get("pad")), p.get("value").asDouble());
      case "sum_dim":
        return in[0].sum(ints(p.get("dims")), p.get("keepdim").asBoolean());
      case "mean_dim":
        return in[0].mean(ints(p.get("dims")), p.get("keepdim").asBoolean());
      default:
        throw new IllegalArgumentException("unknown op " + op);
    }
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("cases")
  void matchesTorch(JsonNode c) {
    JsonNode inputs = c.get("inputs");
    Tensor[] in = new Tensor[inputs.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = Fixtures.tensor(inputs.get(i)).requiresGrad(true);
    }
    Tensor out = apply(c.get("op").asText(), c.get("param"), in);
    int[] outShape = ints(c.get("outputShape"));
    assertThat(out.shape()).as("output shape").containsExactly(outShape);
    assertThat(out.gradFnName()).as("grad_fn").isEqualTo(c.get("gradFn").asText());
    boolean exactly = exactExpected(c.get("op").asText(), c.get("param"));
    compare(out, Fixtures.tensor(c.get("output")).reshape(outShape), exactly);

    out.backward(Fixtures.tensor(c.get("gradOutput")).reshape(outShape));
    for (int i = 0; i < in.length; i++) {
      if (c.get("grads").get(i).isNull()) {
        assertThat(in[i].grad()).as("gradient of input %d, a condition", i).isNull();
        continue;
      }
      Tensor expected = Fixtures.tensor(c.get("grads").get(i)).reshape(in[i].shape());
      assertThat(in[i].grad()).as("gradient of input %d", i).isNotNull();
      compare(in[i].grad(), expected, exactly);
    }
  }

  /**
   * Whether streamgrad must reproduce torch's bits: every op computes in torch's order, except the
   * transcendental ones, where Java's {@link Math} and torch's vectorized (SLEEF) exp, log and tanh
   * may differ by an ulp, and pow where it needs a general power ({@link Math#pow} may differ from
   * glibc's pow by an ulp): pow's own exponent in forward, exponent - 1 in backward.
   */
  private static boolean exactExpected(String op, JsonNode param) {
    if (TRANSCENDENTAL.contains(op)) {
      return false;
    }
    if (!op.equals("pow")) {
      return true;
    }
    double p = param.asDouble();
    return p == 2 || p == 3 || p == 1 || p == 0 || p == -1 || p == 0.5;
  }

  private static void compare(Tensor actual, Tensor expected, boolean mustBeExact) {
    TensorAssert.assertClose(actual, expected, TOL);
    total++;
    boolean same = Arrays.equals(actual.toArray(), expected.toArray());
    exact += same ? 1 : 0;
    assertThat(same || !mustBeExact).as("bit-identical to torch").isTrue();
  }
}
