package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.streamgrad.autograd.GradMode;
import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.Conv2d;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.records.TensorCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The predictor in an operator test harness: buffering, versions, dtypes, dead letters, restore. */
// the harnesses' close() declares InterruptedException, which try-with-resources lint flags
@SuppressWarnings("try")
class PredictorFunctionTest {
  private static final LayerSpec LAYER = Conv2dSpec.seeded(2, 3, 1);
  private static final Tensor F3 = Tensor.randn(3L, 2, 3);
  private static final Tensor F5 = Tensor.randn(5L, 2, 3);

  static KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> harness(String model)
      throws Exception {
    return new KeyedBroadcastOperatorTestHarness<>(
        new CoBroadcastWithKeyedOperator<>(new PredictorFunction(LAYER, model), List.of(PredictorFunction.MODELS)),
        Operators::recordKey, Types.STRING, 128, 1, 0);
  }

  private static Tensor expected(Tensor input, Tensor filter, double bias) {
    GradMode.Scope noGrad = GradMode.noGrad();
    try (noGrad) {
      return new Conv2d(filter, Tensor.full(bias, 1, 1)).forward(input);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void buffersUntilTheFirstSnapshotThenPredictsWithTheNewestVersion(String backend) throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(null)) {
      h.setStateBackend(TrainerHarness.backend(backend));
      h.open();
      List<Tensor> inputs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        inputs.add(Tensor.randn(10L + i, 5, 6));
      }
      h.processElement(TestRecords.tensor("m", 0, inputs.get(0), DType.FLOAT64), 0);
      h.processElement(TestRecords.tensor("m", 1, inputs.get(1), DType.FLOAT64), 1);
      h.processElement(TestRecords.tensor("other", 0, inputs.get(1), DType.FLOAT64), 1);
      assertThat(h.extractOutputValues()).as("no model yet: the records wait").isEmpty();

      h.processBroadcastElement(TestRecords.snapshot("m", 3, F3, 0.25), 2);
      h.processElement(TestRecords.tensor("m", 2, inputs.get(2), DType.FLOAT64), 3);
      h.processBroadcastElement(TestRecords.snapshot("m", 5, F5, -1.0), 4);
      h.processBroadcastElement(TestRecords.snapshot("m", 4, F3, 9.0), 5);
      h.processElement(TestRecords.tensor("m", 3, inputs.get(3), DType.FLOAT64), 6);

      List<Prediction> out = h.extractOutputValues();
      assertThat(out).extracting(Prediction::getSeq).containsExactly(0L, 1L, 2L, 3L);
      assertThat(out).extracting(Prediction::getModelVersion).containsExactly(3L, 3L, 3L, 5L);
      assertThat(out).extracting(Prediction::getModel).containsOnly("m");
      for (int i = 0; i < 4; i++) {
        Tensor want = i < 3 ? expected(inputs.get(i), F3, 0.25) : expected(inputs.get(i), F5, -1.0);
        assertThat(TensorCodec.decode(out.get(i).getOutput()).toArray()).containsExactly(want.toArray());
      }
      assertThat(h.getBroadcastState(PredictorFunction.MODELS).get("m").getVersion()).isEqualTo(5);

      h.processBroadcastWatermark(Long.MAX_VALUE);
      h.processWatermark(Long.MAX_VALUE);
      List<DeadLetter> dead = deadLetters(h);
      assertThat(dead).singleElement().satisfies(d -> {
        assertThat(d.getReason()).isEqualTo("no model 'other' arrived before end of input");
        assertThat(d.getKey()).isEqualTo("other");
        assertThat(d.getStage()).isEqualTo(Uids.PREDICTOR);
        assertThat(d.getPayload()).isNotNull();
      });
    }
  }

  @Test
  void aFixedModelServesEveryKeyAndOutputsKeepFloat32() throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness("shared")) {
      h.open();
      Tensor x = Tensor.randn(20L, 3, 7);
      h.processElement(TestRecords.tensor("k1", 0, x, DType.FLOAT32), 0);
      h.processElement(TestRecords.tensor("k2", 0, x, DType.FLOAT32), 0);
      h.processBroadcastElement(TestRecords.snapshot("shared", 1, F3, 0.5), 1);
      List<Prediction> out = h.extractOutputValues();
      assertThat(out).extracting(Prediction::getKey).containsExactlyInAnyOrder("k1", "k2");
      Tensor x32 = TensorCodec.decode(TestRecords.tensor("k", 0, x, DType.FLOAT32).getTensor());
      Tensor want = expected(x32, F3, 0.5);
      for (Prediction p : out) {
        assertThat(p.getOutput().getDtype()).isEqualTo(DType.FLOAT32);
        assertThat(p.getOutput().getShape()).containsExactly(2, 5);
        double[] got = TensorCodec.decode(p.getOutput()).toArray();
        for (int k = 0; k < got.length; k++) {
          assertThat(got[k]).isEqualTo((double) (float) want.buffer()[k]);
        }
      }
    }
  }

  @Test
  void badRecordsAndSnapshotsBecomeDeadLetters() throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(null)) {
      h.open();
      TensorRecord shortData = TestRecords.tensor("m", 0, Tensor.randn(1L, 4, 4), DType.FLOAT32);
      shortData.getTensor().setData(ByteBuffer.wrap(new byte[60]));
      Tensor nan = Tensor.randn(1L, 4, 4);
      nan.buffer()[6] = Double.NaN;
      h.processElement(shortData, 0);
      h.processElement(TestRecords.tensor("m", 1, nan, DType.FLOAT64), 0);
      h.processElement(TestRecords.tensor("m", 2, Tensor.randn(1L, 1, 9), DType.FLOAT64), 0);
      h.processBroadcastElement(TestRecords.snapshot("m", 1, Tensor.randn(1L, 3, 3), 0), 0);
      assertThat(deadLetters(h)).extracting(DeadLetter::getReason).containsExactly(
          "tensor: tensor data has 60 bytes but shape [4, 4] of FLOAT32 needs 64 (16 x 4)",
          "tensor: tensor value NaN at flat index 6 (index [1, 2]) is not finite",
          "tensor: conv2d input of shape [1, 9] is smaller than the filter of shape [2, 3]",
          "snapshot: does not fit layer conv2d 2x3 seed 1: size mismatch for filter: copying a param with shape [3, 3]"
              + " from checkpoint, the shape in current model is [2, 3].");
      assertThat(h.getBroadcastState(PredictorFunction.MODELS).get("m")).isNull();
    }
  }

  @Test
  void bufferedRecordsAndModelsSurviveARestore() throws Exception {
    OperatorSubtaskState state;
    Tensor x = Tensor.randn(30L, 4, 4);
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(null)) {
      h.open();
      h.processBroadcastElement(TestRecords.snapshot("known", 2, F3, 0), 0);
      h.processElement(TestRecords.tensor("waiting", 0, x, DType.FLOAT64), 0);
      state = h.snapshot(1, 1);
    }
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(null)) {
      h.initializeState(state);
      h.open();
      h.processElement(TestRecords.tensor("known", 0, x, DType.FLOAT64), 1);
      h.processBroadcastElement(TestRecords.snapshot("waiting", 7, F5, 1), 2);
      assertThat(h.extractOutputValues()).extracting(Prediction::getKey, Prediction::getModelVersion)
          .containsExactly(tuple("known", 2L),
              tuple("waiting", 7L));
    }
  }

  @Test
  void bufferedRecordsAndModelsSurviveRescalingFromTwoSubtasksToOne() throws Exception {
    Tensor x = Tensor.randn(31L, 4, 4);
    List<String> keys = List.of("w1", "w2", "w3", "w4", "w5", "w6");
    List<OperatorSubtaskState> states = new ArrayList<>();
    int buffered = 0;
    for (int sub = 0; sub < 2; sub++) {
      try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h =
          new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
              new PredictorFunction(LAYER, "late"), List.of(PredictorFunction.MODELS)),
              Operators::recordKey, Types.STRING, 128, 2, sub)) {
        h.open();
        h.processBroadcastElement(TestRecords.snapshot("known", 4, F3, 0), 0);
        for (String k : keys) {
          if (KeyGroupRangeAssignment.assignKeyToParallelOperator(k, 128, 2) == sub) {
            h.processElement(TestRecords.tensor(k, 0, x, DType.FLOAT64), 0);
            buffered++;
          }
        }
        assertThat(h.extractOutputValues()).isEmpty();
        states.add(h.snapshot(1, 1));
      }
    }
    assertThat(buffered).isEqualTo(keys.size());
    OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repartitionOperatorState(
        AbstractStreamOperatorTestHarness.repackageState(states.toArray(new OperatorSubtaskState[0])), 128, 2, 1, 0);
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h =
        new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
            new PredictorFunction(LAYER, "late"), List.of(PredictorFunction.MODELS)),
            Operators::recordKey, Types.STRING, 128, 1, 0)) {
      h.initializeState(merged);
      h.open();
      assertThat(h.getBroadcastState(PredictorFunction.MODELS).get("known").getVersion()).isEqualTo(4);
      h.processBroadcastElement(TestRecords.snapshot("late", 2, F5, 0.5), 1);
      assertThat(h.extractOutputValues()).extracting(Prediction::getKey)
          .containsExactlyInAnyOrderElementsOf(keys);
      assertThat(h.extractOutputValues()).extracting(Prediction::getModelVersion).containsOnly(2L);
    }
  }

  static List<DeadLetter> deadLetters(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> h) {
    List<DeadLetter> out = new ArrayList<>();
    if (h.getSideOutput(DeadLetters.TAG) != null) {
      for (StreamRecord<DeadLetter> r : h.getSideOutput(DeadLetters.TAG)) {
        out.add(r.getValue());
      }
    }
    return out;
  }
}
