package dev.streamgrad.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.ops.Add;
import dev.streamgrad.nn.Parameter;
import dev.streamgrad.testing.Fixtures;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Tensor#toString()} against the strings PyTorch prints (fixtures/autograd/tensor_format.json). */
class TensorFormatTest {

  static Stream<JsonNode> cases() {
    return Fixtures.cases("autograd/tensor_format.json").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void printsLikeTorch(JsonNode c) {
    JsonNode values = c.get("values");
    double[] data = new double[values.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = Double.parseDouble(values.get(i).asText());
    }
    int[] shape = new int[c.get("shape").size()];
    for (int d = 0; d < shape.length; d++) {
      shape[d] = c.get("shape").get(d).asInt();
    }
    Tensor t = Tensor.of(data, shape).requiresGrad(c.get("requiresGrad").asBoolean());

    assertThat(t.toString()).as(c.get("name").asText()).isEqualTo(c.get("repr").asText());
  }

  @Test
  void fixtureCoversEveryKindOfCase() {
    assertThat(cases().count()).isGreaterThanOrEqualTo(35);
  }

  @Test
  void graphOutputNamesItsBackwardNode() {
    Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
    Tensor y = new Add().apply(x, Tensor.scalar(0.5));

    assertThat(y).hasToString("tensor([1.5000, 2.5000], grad_fn=<AddBackward0>)");
    assertThat(y.gradFnName()).isEqualTo("AddBackward0");
  }

  @Test
  void parameterPrintsLikeNnParameter() {
    Parameter p = new Parameter(Tensor.of(new double[] {1, 2}, 1, 2));

    assertThat(p).hasToString("Parameter containing:\ntensor([[1., 2.]], requires_grad=True)");
  }

  @Test
  void detachedTensorDropsTheGradSuffix() {
    Tensor x = Tensor.of(new double[] {0.5}, 1).requiresGrad(true);

    assertThat(x.detach()).hasToString("tensor([0.5000])");
  }
}
