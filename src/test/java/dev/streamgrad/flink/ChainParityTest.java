package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.FftMagnitudeLayer;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.layers.SequentialLayer;
import dev.streamgrad.optim.OptimizerSpec;
import dev.streamgrad.records.SnapshotParameters;
import dev.streamgrad.records.TensorCodec;
import dev.streamgrad.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chain fft-magnitude then conv2d, trained end to end through the autograd core, equals
 * PyTorch's {@code nn.Sequential} of the same layers trained with {@code torch.optim}
 * (fixtures/chain/parity.json, made by src/test/python/gen_chain_fixtures.py): every parameter
 * after every update to 1e-9, alone and as the Flink trainer, whose snapshots carry the state dict
 * under PyTorch's names.
 */
@SuppressWarnings("try") // the harness's close() may throw InterruptedException
class ChainParityTest {
  static List<JsonNode> cases() {
    return Fixtures.cases("chain/parity.json");
  }

  private static LayerSpec layer(JsonNode c) {
    Tensor f = Fixtures.tensor(c.get("initFilter"));
    double[][] rows = new double[f.size(0)][f.size(1)];
    for (int r = 0; r < rows.length; r++) {
      for (int k = 0; k < rows[r].length; k++) {
        rows[r][k] = f.get(r, k);
      }
    }
    return new SequentialLayer.Spec(List.of(new FftMagnitudeLayer(),
        Conv2dSpec.explicit(rows, c.get("initBias").asDouble())));
  }

  private static TrainConfig train(JsonNode c, int snapshotEvery) {
    JsonNode o = c.get("optimizer");
    OptimizerSpec opt = o.get("type").asText().equals("sgd")
        ? OptimizerSpec.sgd(o.get("lr").asDouble(), o.get("momentum").asDouble(), 0, 0, false)
        : OptimizerSpec.adam(o.get("lr").asDouble(), 0.9, 0.999, 1e-8, 0, o.get("amsgrad").asBoolean());
    return new TrainConfig(opt, c.get("batchSize").asInt(), snapshotEvery);
  }

  private static List<LabeledTensorRecord> records(JsonNode c) {
    List<LabeledTensorRecord> out = new ArrayList<>();
    long seq = 0;
    for (JsonNode r : c.get("records")) {
      out.add(TestRecords.labeled(c.get("name").asText(), seq++, Fixtures.tensor(r.get("input")),
          Fixtures.tensor(r.get("target"))));
    }
    return out;
  }

  private static void assertClose(String what, double[] actual, Tensor expected) {
    assertThat(actual).as(what).hasSize(expected.numel());
    for (int k = 0; k < actual.length; k++) {
      double e = expected.buffer()[k];
      assertThat(actual[k]).as("%s[%d]", what, k).isCloseTo(e, within(1e-9 * Math.max(1, Math.abs(e))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyUpdateEqualsTorch(JsonNode c) throws Exception {
    ModelTrainer trainer = new ModelTrainer(layer(c), train(c, 1));
    assertThat(trainer.names()).containsExactly("1.filter", "1.bias");
    TrainerState s = trainer.initialState();
    List<JsonNode> expected = new ArrayList<>();
    c.get("updates").forEach(expected::add);
    int update = 0;
    for (LabeledTensorRecord r : records(c)) {
      boolean stepped = trainer.offer(s, TensorCodec.decode(r.getInput()), TensorCodec.decode(r.getTarget()), 0);
      if (stepped) {
        check(c, s, expected.get(update++), update);
      }
    }
    if (trainer.flush(s)) {
      check(c, s, expected.get(update++), update);
    }
    assertThat(update).isEqualTo(expected.size());
  }

  private static void check(JsonNode c, TrainerState s, JsonNode want, int update) {
    for (String name : List.of("1.filter", "1.bias")) {
      assertClose(c.get("name").asText() + " update " + update + " " + name, s.params.get(name),
          Fixtures.tensor(want.get(name)));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theFlinkTrainerEmitsTheStateDictUnderTorchsNames(JsonNode c) throws Exception {
    List<JsonNode> expected = new ArrayList<>();
    c.get("updates").forEach(expected::add);
    List<FilterSnapshot> snaps;
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.open(layer(c), train(c, 1))) {
      TrainerHarness.feed(h, records(c));
      h.processWatermark(Long.MAX_VALUE);
      snaps = h.extractOutputValues();
    }
    assertThat(snaps).hasSize(expected.size());
    for (int i = 0; i < snaps.size(); i++) {
      FilterSnapshot snap = snaps.get(i);
      assertThat(snap.getLayer()).isEqualTo("sequential");
      Map<String, Tensor> state = SnapshotParameters.of(snap);
      assertThat(state.keySet()).containsExactly("1.filter", "1.bias");
      assertClose("snapshot " + i + " 1.filter", state.get("1.filter").toArray(),
          Fixtures.tensor(expected.get(i).get("1.filter")));
      // the conv2d fields that predate the state dict hold the chain's one conv2d
      assertThat(TensorCodec.decode(snap.getFilter()).toArray()).containsExactly(state.get("1.filter").toArray());
      assertThat(snap.getBias()).isEqualTo(state.get("1.bias").item());
    }
  }
}
