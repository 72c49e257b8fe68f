package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gradcheck} of functions whose outputs change shape when an input is perturbed fails with
 * PyTorch's message (fixtures/autograd/gradcheck_shapes.json, from torch 1.13's gradcheck) instead
 * of an {@code ArrayIndexOutOfBoundsException}, with or without {@code raiseException}.
 */
class GradcheckShapeTest {
  private static final JsonNode DOC = Fixtures.load("autograd/gradcheck_shapes.json");

  /** {@code 2 * x.flatten()[:n]}, {@code n} chosen by a test of one element's value (as the fixtures' functions). */
  static final class Prefix extends Function {
    private final int element;
    private final java.util.function.DoublePredicate longer;
    private final int nLong;
    private final int nShort;

    Prefix(int element, java.util.function.DoublePredicate longer, int nLong, int nShort) {
      this.element = element;
      this.longer = longer;
      this.nLong = nLong;
      this.nShort = nShort;
    }

    @Override
    protected Tensor[] forward(Context ctx, Tensor... in) {
      ctx.saveForBackward(in[0]);
      double[] x = in[0].buffer();
      double[] out = new double[longer.test(x[element]) ? nLong : nShort];
      for (int k = 0; k < out.length; k++) {
        out[k] = 2 * x[k];
      }
      return tensors(Tensor.wrap(out, out.length));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor... grad) {
      Tensor x = ctx.savedTensors()[0];
      double[] g = new double[x.numel()];
      for (int k = 0; k < grad[0].numel(); k++) {
        g[k] = 2 * grad[0].buffer()[k];
      }
      return tensors(Tensor.wrap(g, x.shape()));
    }
  }

  private static int[] shape(JsonNode c) {
    int[] s = new int[c.get("shape").size()];
    for (int d = 0; d < s.length; d++) {
      s[d] = c.get("shape").get(d).asInt();
    }
    return s;
  }

  /** torch's message as streamgrad words it: the index filled in, shapes as streamgrad prints them. */
  private static String expected(String torchMessage, String index) {
    return torchMessage.replace("{idx}", index).replaceAll("torch\\.Size\\((\\[[0-9, ]*\\])\\)", "$1")
        + " (output 0, input 0)";
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c : DOC.get("cases")) {
      out.add(Arguments.of("shape " + c.get("shape") + " element " + c.get("element") + " eps " + c.get("eps"), c));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void failsWithTorchsMessageInsteadOfIndexingPastTheOutput(String label, JsonNode c) {
    int[] shape = shape(c);
    int element = c.get("element").asInt();
    Function f = new Prefix(element, v -> v > 0, c.get("n_pos").asInt(), c.get("n_neg").asInt());
    String index = NumericalJacobian.index(element, shape);
    assertThat(c.get("raised").get("type").asText()).isEqualTo("AssertionError");
    String message = expected(c.get("raised").get("message").asText(), index);
    for (boolean raise : new boolean[] {true, false}) {
      Tensor x = Tensor.zeros(shape).requiresGrad(true);
      Gradcheck check = Gradcheck.withDefaults().eps(c.get("eps").asDouble()).raiseException(raise);
      // like torch, which asserts this outside its raise_exception handling: raised either way
      assertThatThrownBy(() -> check.check(f::applyAll, x)).as("raiseException %s", raise)
          .isInstanceOf(GradcheckException.class).hasMessage(message);
      assertThat(x.buffer()).as("the input is restored").containsOnly(0.0);
    }
  }

  @Test
  void theIndexIsThePythonTupleTorchIteratesWith() {
    assertThat(NumericalJacobian.index(1, new int[] {2, 3})).isEqualTo("(0, 1)");
    assertThat(NumericalJacobian.index(5, new int[] {3, 2})).isEqualTo("(2, 1)");
    assertThat(NumericalJacobian.index(3, new int[] {4})).isEqualTo("(3,)");
    assertThat(NumericalJacobian.index(6, new int[] {2, 2, 2})).isEqualTo("(1, 1, 0)");
    assertThat(NumericalJacobian.index(0, new int[] {})).isEqualTo("()");
  }

  @Test
  void epsIsPrintedAsPythonPrintsIt() {
    assertThat(NumericalJacobian.pythonRepr(1e-6)).isEqualTo("1e-06");
    assertThat(NumericalJacobian.pythonRepr(1e-5)).isEqualTo("1e-05");
    assertThat(NumericalJacobian.pythonRepr(1e-4)).isEqualTo("0.0001");
    assertThat(NumericalJacobian.pythonRepr(0.001)).isEqualTo("0.001");
    assertThat(NumericalJacobian.pythonRepr(2.5e-7)).isEqualTo("2.5e-07");
    assertThat(NumericalJacobian.pythonRepr(0.5)).isEqualTo("0.5");
    assertThat(NumericalJacobian.pythonRepr(1)).isEqualTo("1.0");
    assertThat(NumericalJacobian.pythonRepr(1e16)).isEqualTo("1e+16");
    assertThat(NumericalJacobian.pythonRepr(-3e-10)).isEqualTo("-3e-10");
  }

  @Test
  void aShapeThatChangesOnlyAwayFromTheUnperturbedInputIsNamedToo() {
    // torch fails here later, copying a column of the wrong length (a RuntimeError about sizes)
    JsonNode c = DOC.get("shapeChangesOnlyAwayFromTheInput");
    assertThat(c.get("raised").get("type").asText()).isEqualTo("RuntimeError");
    Function f = new Prefix(c.get("element").asInt(), v -> v != 0, c.get("n_pos").asInt(), c.get("n_neg").asInt());
    Tensor x = Tensor.zeros(shape(c)).requiresGrad(true);
    assertThatThrownBy(() -> Gradcheck.withDefaults().check(f::applyAll, x)).isInstanceOf(GradcheckException.class)
        .hasMessage("Expected `func` to return outputs with the same shape when inputs are perturbed on index (1, 1)"
            + " by 1e-06, but got: shapes [2] (unperturbed) and [4] (perturbed). (output 0, input 0)");
  }

  @Test
  void aChangingNumberOfOutputsAndANondeterministicShapeAreNamed() {
    Tensor x = Tensor.zeros(3).requiresGrad(true);
    Gradcheck.TensorFunction moreOutputs = in -> in[0].buffer()[2] > 0
        ? new Tensor[] {in[0].mul(2.0), in[0].mul(3.0)} : new Tensor[] {in[0].mul(2.0)};
    assertThatThrownBy(() -> Gradcheck.withDefaults().check(moreOutputs, x)).hasMessage("Expected `func` to return"
        + " the same number of outputs when inputs are perturbed on index (2,) by 1e-06, but got: 1 and 2 outputs.");
    int[] calls = {0};
    Gradcheck.TensorFunction flaky = in -> {
      calls[0]++;
      // the same shape under every perturbation, another one for the analytical pass's calls
      return new Tensor[] {calls[0] <= 7 ? in[0].mul(2.0) : in[0].sum()};
    };
    Tensor y = Tensor.zeros(3).requiresGrad(true);
    assertThatThrownBy(() -> Gradcheck.withDefaults().check(flaky, y)).isInstanceOf(GradcheckException.class)
        .hasMessage("Expected `func` to return outputs with the same shape when called again with the same inputs,"
            + " but got: shapes [3] and [].");
  }

  @Test
  void functionsWhoseShapesHoldStillPassAsBefore() {
    Function f = new Prefix(0, v -> v > 10, 4, 4);
    assertThat(Gradcheck.withDefaults().check(f::applyAll, Tensor.randn(3L, 2, 3).requiresGrad(true))).isTrue();
  }
}
