package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.tuple;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.PredictionScore;
import dev.streamgrad.records.TensorCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scorer in an operator harness: predictions and labels join by key and seq in either order,
 * the loss is mse of the served output (checked against a naive sum), late and never-labelled
 * ones are counted out as dead letters, the state is bounded per key and emptied by the timers,
 * and what waits survives a restore.
 */
@SuppressWarnings("try")
class ScoreFunctionTest {
  private static final LabelJoin JOIN = new LabelJoin(5_000, 3);

  static KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> harness(
      LabelJoin join) throws Exception {
    return new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ScoreFunction(join)),
        p -> p.getKey(), Operators::modelKey, Types.STRING);
  }

  /** A prediction of {@code key}/{@code seq} by model version 4, for the record of event time {@code t}. */
  static Prediction prediction(String key, long seq, long t, Tensor output) {
    return Prediction.newBuilder().setKey(key).setSeq(seq).setModel("model-" + key).setModelVersion(4)
        .setOutput(TensorCodec.encode(output, DType.FLOAT32)).setEventTime(Instant.ofEpochMilli(t)).build();
  }

  static LabeledTensorRecord label(String key, long seq, long t, Tensor target) {
    LabeledTensorRecord l = TestRecords.labeled(key, seq, Tensor.zeros(1, 1), target);
    l.setEventTime(Instant.ofEpochMilli(t));
    return l;
  }

  /** mse as a naive loop over the float32 values the prediction carries. */
  static double mse(Tensor output, Tensor target) {
    double sum = 0;
    for (int i = 0; i < output.numel(); i++) {
      double d = (double) (float) output.buffer()[i] - target.buffer()[i];
      sum += d * d;
    }
    return sum / output.numel();
  }

  /** The waiting predictions' and labels' seqs of {@code key}, after checking the count kept beside them. */
  static List<List<Long>> waiting(KeyedTwoInputStreamOperatorTestHarness<String, ?, ?, ?> h, String key)
      throws Exception {
    KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(key);
    MapState<Long, Prediction> p = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE, ScoreFunction.PREDICTIONS);
    MapState<Long, LabeledTensorRecord> l = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE, ScoreFunction.LABELS);
    ValueState<Integer> count = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE, ScoreFunction.WAITING);
    List<Long> ps = new ArrayList<>();
    List<Long> ls = new ArrayList<>();
    for (Map.Entry<Long, Prediction> e : entries(p.entries())) {
      ps.add(e.getKey());
    }
    for (Map.Entry<Long, LabeledTensorRecord> e : entries(l.entries())) {
      ls.add(e.getKey());
    }
    ps.sort(null);
    ls.sort(null);
    assertThat(count.value() == null ? 0 : count.value()).as("count of key " + key).isEqualTo(ps.size() + ls.size());
    return List.of(ps, ls);
  }

  private static <T> Iterable<T> entries(Iterable<T> it) {
    return it == null ? List.of() : it; // the backend's own state: null when empty
  }

  static List<DeadLetter> deadLetters(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h) {
    List<DeadLetter> out = new ArrayList<>();
    if (h.getSideOutput(DeadLetters.TAG) != null) {
      for (StreamRecord<DeadLetter> r : h.getSideOutput(DeadLetters.TAG)) {
        out.add(r.getValue());
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void joinsInEitherOrderAndScoresTheServedOutput(String backend) throws Exception {
    Tensor out0 = Tensor.randn(1L, 2, 3);
    Tensor out1 = Tensor.randn(2L, 2, 3);
    Tensor y0 = Tensor.randn(3L, 2, 3);
    Tensor y1 = Tensor.randn(4L, 2, 3);
    try (KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> h =
        harness(JOIN)) {
      h.setStateBackend(TrainerHarness.backend(backend));
      h.open();
      h.processElement1(prediction("k", 0, 1_000, out0), 1_000);
      assertThat(waiting(h, "k")).containsExactly(List.of(0L), List.of());
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
      h.processElement2(label("k", 1, 2_500, y1), 2_500); // before its prediction
      assertThat(waiting(h, "k")).containsExactly(List.of(0L), List.of(1L));
      h.processElement2(label("k", 0, 4_000, y0), 4_000);
      h.processElement1(prediction("k", 1, 2_000, out1), 2_000);
      assertThat(waiting(h, "k")).containsExactly(List.of(), List.of());

      List<PredictionScore> scores = h.extractOutputValues();
      assertThat(scores).extracting(PredictionScore::getKey, PredictionScore::getSeq, PredictionScore::getModel,
          PredictionScore::getModelVersion, PredictionScore::getLabelDelayMs).containsExactly(
          tuple("k", 0L, "model-k", 4L, 3_000L), tuple("k", 1L, "model-k", 4L, 500L));
      assertThat(scores.get(0).getLoss()).isCloseTo(mse(out0, y0), offset(1e-12));
      assertThat(scores.get(1).getLoss()).isCloseTo(mse(out1, y1), offset(1e-12));
      assertThat(scores.get(0).getEventTime()).isEqualTo(Instant.ofEpochMilli(1_000));
      assertThat(scores.get(0).getLabelEventTime()).isEqualTo(Instant.ofEpochMilli(4_000));

      // the timers of what was joined fire and find nothing left
      h.processWatermark1(new Watermark(Long.MAX_VALUE));
      h.processWatermark2(new Watermark(Long.MAX_VALUE));
      assertThat(h.numEventTimeTimers()).isZero();
      assertThat(deadLetters(h)).isEmpty();
    }
  }

  @Test
  void aLabelLaterThanTheTimeoutLeavesBothUnscored() throws Exception {
    try (KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> h =
        harness(JOIN)) {
      h.open();
      h.processElement1(prediction("k", 0, 1_000, Tensor.zeros(2, 2)), 1_000);
      h.processElement2(label("k", 0, 6_001, Tensor.zeros(2, 2)), 6_001); // 5001 ms: one too many
      assertThat(h.extractOutputValues()).isEmpty();
      assertThat(deadLetters(h)).extracting(DeadLetter::getReason).containsExactly(
          "prediction not scored: its label arrived 5001 ms after the record, later than predict.labelTimeout (5000 ms)",
          "label not used: its label arrived 5001 ms after the record, later than predict.labelTimeout (5000 ms)");
      assertThat(deadLetters(h)).extracting(DeadLetter::getStage).containsOnly(Uids.SCORER);
      assertThat(waiting(h, "k")).containsExactly(List.of(), List.of());
    }
  }

  @Test
  void theWatermarkExpiresWhatWaitsPastItsDeadline() throws Exception {
    try (KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> h =
        harness(JOIN)) {
      h.open();
      h.processElement1(prediction("k", 0, 1_000, Tensor.zeros(2, 2)), 1_000);
      h.processElement1(prediction("k", 1, 9_000, Tensor.zeros(2, 2)), 9_000);
      h.processElement2(label("j", 7, 2_000, Tensor.zeros(2, 2)), 2_000);
      // past 1000 + 5000 and 2000 + 5000 (timers rounded up to 5000 / 16 ms: 6240, 7176), not 9000 + 5000
      h.processWatermark1(new Watermark(7_200));
      h.processWatermark2(new Watermark(7_200));
      assertThat(deadLetters(h)).extracting(DeadLetter::getKey, DeadLetter::getSeq, DeadLetter::getReason)
          .containsExactlyInAnyOrder(
              tuple("k", 0L, "prediction not scored: no label arrived within predict.labelTimeout (5000 ms)"),
              tuple("j", 7L, "label not used: no prediction of key 'j' seq 7 arrived within predict.labelTimeout"
                  + " (5000 ms)"));
      assertThat(waiting(h, "k")).containsExactly(List.of(1L), List.of());
      assertThat(waiting(h, "j")).containsExactly(List.of(), List.of());

      // its label timeout passed before it came: not kept
      h.processElement1(prediction("k", 2, 1_500, Tensor.zeros(2, 2)), 1_500);
      assertThat(deadLetters(h)).last().extracting(DeadLetter::getReason).asString()
          .startsWith("prediction not scored: its label timeout (predict.labelTimeout 5000 ms) had passed");
      h.processElement2(label("k", 5, 1_900, Tensor.zeros(2, 2)), 1_900);
      assertThat(deadLetters(h)).last().extracting(DeadLetter::getReason).asString()
          .startsWith("label not used: no prediction waits for it");

      // the end of input empties the state
      h.processWatermark1(new Watermark(Long.MAX_VALUE));
      h.processWatermark2(new Watermark(Long.MAX_VALUE));
      assertThat(waiting(h, "k")).containsExactly(List.of(), List.of());
      assertThat(h.numEventTimeTimers()).isZero();
      assertThat(deadLetters(h)).hasSize(5);
      assertThat(h.extractOutputValues()).isEmpty();
    }
  }

  @Test
  void atMostMaxWaitingPerKeyAndBadLabelsSayWhy() throws Exception {
    try (KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> h =
        harness(JOIN)) {
      h.open();
      for (long seq = 0; seq < 3; seq++) {
        h.processElement1(prediction("k", seq, 1_000, Tensor.zeros(2, 2)), 1_000);
      }
      h.processElement2(label("k", 9, 1_000, Tensor.zeros(2, 2)), 1_000);
      h.processElement1(prediction("other", 0, 1_000, Tensor.zeros(2, 2)), 1_000);
      assertThat(deadLetters(h)).singleElement().extracting(DeadLetter::getReason).isEqualTo(
          "label not used: 3 predictions and labels of key 'k' already wait (predict.maxUnlabelled 3)");
      assertThat(waiting(h, "k")).containsExactly(List.of(0L, 1L, 2L), List.of());
      assertThat(waiting(h, "other")).containsExactly(List.of(0L), List.of());

      h.processElement2(label("k", 1, 1_200, Tensor.zeros(3, 2)), 1_200);
      assertThat(deadLetters(h)).extracting(DeadLetter::getReason).last().asString().isEqualTo(
          "label not used: label target: mse_loss: input shape [2, 2] does not match target shape [3, 2]");
      assertThat(waiting(h, "k")).containsExactly(List.of(0L, 2L), List.of());
      h.processElement1(prediction("k", 0, 1_000, Tensor.zeros(2, 2)), 1_000);
      assertThat(deadLetters(h)).extracting(DeadLetter::getReason).last().asString().isEqualTo(
          "prediction not scored: a prediction of key 'k' seq 0 already waits for its label");
      assertThat(h.extractOutputValues()).isEmpty();
    }
  }

  @Test
  void whatWaitsSurvivesARestore() throws Exception {
    OperatorSubtaskState state;
    Tensor out = Tensor.randn(5L, 3, 3);
    Tensor y = Tensor.randn(6L, 3, 3);
    try (KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> h =
        harness(JOIN)) {
      h.setStateBackend(TrainerHarness.backend("rocksdb"));
      h.open();
      h.processElement1(prediction("k", 0, 1_000, out), 1_000);
      h.processElement2(label("k", 3, 1_000, y), 1_000);
      state = h.snapshot(1, 1);
    }
    try (KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> h =
        harness(JOIN)) {
      h.setStateBackend(TrainerHarness.backend("rocksdb"));
      h.initializeState(state);
      h.open();
      assertThat(waiting(h, "k")).containsExactly(List.of(0L), List.of(3L));
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
      h.processElement2(label("k", 0, 2_000, y), 2_000);
      assertThat(h.extractOutputValues()).hasSize(1);
      assertThat(h.extractOutputValues().get(0).getLoss()).isCloseTo(mse(out, y), offset(1e-12));
      h.processWatermark1(new Watermark(Long.MAX_VALUE));
      h.processWatermark2(new Watermark(Long.MAX_VALUE));
      assertThat(deadLetters(h)).singleElement().extracting(DeadLetter::getSeq).isEqualTo(3L);
    }
  }

  @Test
  void whatWaitsAndItsTimersSurviveRescalingFromTwoSubtasksToOne() throws Exception {
    List<String> keys = List.of("w1", "w2", "w3", "w4", "w5", "w6");
    List<OperatorSubtaskState> states = new ArrayList<>();
    for (int sub = 0; sub < 2; sub++) {
      try (KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> h =
          new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ScoreFunction(JOIN)),
              p -> p.getKey(), Operators::modelKey, Types.STRING, 128, 2, sub)) {
        h.open();
        for (String k : keys) {
          if (KeyGroupRangeAssignment.assignKeyToParallelOperator(k, 128, 2) == sub) {
            h.processElement1(prediction(k, 0, 1_000, Tensor.zeros(2, 2)), 1_000);
            h.processElement2(label(k, 1, 1_000, Tensor.zeros(2, 2)), 1_000);
          }
        }
        states.add(h.snapshot(1, 1));
      }
    }
    OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repartitionOperatorState(
        AbstractStreamOperatorTestHarness.repackageState(states.toArray(new OperatorSubtaskState[0])), 128, 2, 1, 0);
    try (KeyedTwoInputStreamOperatorTestHarness<String, Prediction, LabeledTensorRecord, PredictionScore> h =
        new KeyedTwoInputStreamOperatorTestHarness<>(new KeyedCoProcessOperator<>(new ScoreFunction(JOIN)),
            p -> p.getKey(), Operators::modelKey, Types.STRING, 128, 1, 0)) {
      h.initializeState(merged);
      h.open();
      for (String k : keys) {
        assertThat(waiting(h, k)).as(k).containsExactly(List.of(0L), List.of(1L));
        h.processElement2(label(k, 0, 1_200, Tensor.ones(2, 2)), 1_200);
      }
      assertThat(h.extractOutputValues()).extracting(PredictionScore::getKey).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(h.extractOutputValues()).extracting(PredictionScore::getLoss).containsOnly(1.0);
      h.processWatermark1(new Watermark(Long.MAX_VALUE));
      h.processWatermark2(new Watermark(Long.MAX_VALUE));
      assertThat(deadLetters(h)).as("the waiting labels' timers came along").hasSize(keys.size())
          .extracting(DeadLetter::getSeq).containsOnly(1L);
    }
  }

  @Test
  void timersAreRoundedUpToASixteenthOfTheTimeout() {
    LabelJoin j = new LabelJoin(16_000, 1);
    assertThat(j.timerFor(1_000)).isEqualTo(1_000);
    assertThat(j.timerFor(1_001)).isEqualTo(2_000);
    assertThat(j.timerFor(-1)).isEqualTo(0);
    assertThat(j.timerFor(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(j.deadline(Long.MAX_VALUE - 3)).isEqualTo(Long.MAX_VALUE);
  }
}
