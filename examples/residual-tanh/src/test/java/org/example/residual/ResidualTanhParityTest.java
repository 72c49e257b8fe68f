package org.example.residual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.flink.ModelTrainer;
import dev.streamgrad.flink.TrainConfig;
import dev.streamgrad.flink.TrainerState;
import dev.streamgrad.optim.OptimizerSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The layer trained online by streamgrad's trainer equals the same layer as a torch.nn.Module
 * trained with torch.optim (residual_tanh_parity.json, made by
 * src/test/python/gen_residual_tanh_fixtures.py): every parameter after every update, to 1e-9.
 */
class ResidualTanhParityTest {
  static Stream<JsonNode> cases() throws IOException {
    try (InputStream in = ResidualTanhParityTest.class.getResourceAsStream("/residual_tanh_parity.json")) {
      List<JsonNode> out = new ArrayList<>();
      new ObjectMapper().readTree(in).get("cases").forEach(out::add);
      return out.stream();
    }
  }

  static Tensor tensor(JsonNode n) {
    List<Integer> shape = new ArrayList<>();
    JsonNode at = n;
    while (at.isArray()) {
      shape.add(at.size());
      at = at.get(0);
    }
    List<Double> values = new ArrayList<>();
    flatten(n, values);
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    return Tensor.wrap(v, shape.stream().mapToInt(Integer::intValue).toArray());
  }

  private static void flatten(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      n.forEach(e -> flatten(e, out));
    } else {
      out.add(n.asDouble());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyUpdateEqualsTorch(JsonNode c) throws Exception {
    JsonNode init = c.get("init");
    Tensor weight = tensor(init.get("weight"));
    ResidualTanhLayer.Spec layer = new ResidualTanhLayer.Spec(weight.toArray(), weight.size(0), weight.size(1),
        init.get("bias").asDouble(), init.get("scale").asDouble(), init.get("skip").asDouble());
    JsonNode o = c.get("optimizer");
    OptimizerSpec opt = o.get("type").asText().equals("sgd")
        ? OptimizerSpec.sgd(o.get("lr").asDouble(), o.get("momentum").asDouble(), 0, 0, false)
        : OptimizerSpec.adam(o.get("lr").asDouble(), 0.9, 0.999, 1e-8, 0, false);
    ModelTrainer trainer = new ModelTrainer(layer, new TrainConfig(opt, c.get("batchSize").asInt(), 1));
    assertThat(trainer.names()).as("the state dict's names, as torch's").containsExactlyElementsOf(names(c));
    TrainerState s = trainer.initialState();
    int update = 0;
    for (JsonNode r : c.get("records")) {
      if (trainer.offer(s, tensor(r.get("input")), tensor(r.get("target")), 0)) {
        check(c, s, update++);
      }
    }
    if (trainer.flush(s)) {
      check(c, s, update++);
    }
    assertThat(update).isEqualTo(c.get("updates").size());
  }

  private static List<String> names(JsonNode c) {
    List<String> out = new ArrayList<>();
    c.get("stateDictNames").forEach(n -> out.add(n.asText()));
    return out;
  }

  private static void check(JsonNode c, TrainerState s, int update) {
    JsonNode want = c.get("updates").get(update);
    want.fieldNames().forEachRemaining(name -> {
      double[] expected = tensor(want.get(name)).toArray();
      double[] actual = s.params.get(name);
      assertThat(actual).as("%s update %d %s", c.get("name").asText(), update, name).hasSize(expected.length);
      for (int k = 0; k < expected.length; k++) {
        assertThat(actual[k]).as("%s update %d %s[%d]", c.get("name").asText(), update, name, k)
            .isCloseTo(expected[k], within(1e-9 * Math.max(1, Math.abs(expected[k]))));
      }
    });
  }
}
