package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The predictor with {@code predict.maxModelAge}: stale records wait (in their own keyed state,
 * bounded per key, with the end-of-input timer) or are dead letters; a fresh enough snapshot
 * releases them; the end of input dead-letters what still waits; the wait survives a restore.
 * Records' event times are {@code 1000 * seq} ms ({@link TestRecords#tensor}).
 */
@SuppressWarnings("try")
class PredictorStalenessTest {
  private static final LayerSpec LAYER = Conv2dSpec.seeded(2, 3, 1);
  private static final Tensor F = Tensor.randn(3L, 2, 3);
  private static final Staleness WAIT_5S = new Staleness(5_000, Staleness.OnStale.WAIT, 2);

  static KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> harness(
      Staleness staleness) throws Exception {
    return new KeyedBroadcastOperatorTestHarness<>(
        new CoBroadcastWithKeyedOperator<>(new PredictorFunction(LAYER, null, staleness),
            List.of(PredictorFunction.MODELS)),
        Operators::recordKey, Types.STRING, 128, 1, 0);
  }

  /** A snapshot of model {@code m} whose last trained record had event time {@code t} ms. */
  static FilterSnapshot snapshot(String m, long version, long t) {
    FilterSnapshot s = TestRecords.snapshot(m, version, F, 0.5);
    s.setEventTime(Instant.ofEpochMilli(t));
    return s;
  }

  static TensorRecord record(String key, long seq) {
    return TestRecords.tensor(key, seq, Tensor.randn(seq, 4, 5), DType.FLOAT64);
  }

  /** The stale wait of {@code key}: its records' seqs, and the count kept beside them. */
  static List<Long> waiting(KeyedBroadcastOperatorTestHarness<String, ?, ?, ?> h, String key) throws Exception {
    KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
    backend.setCurrentKey(key);
    ListState<TensorRecord> list = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE, StaleRecords.WAITING);
    ValueState<Integer> count = backend.getPartitionedState(VoidNamespace.INSTANCE,
        VoidNamespaceSerializer.INSTANCE, StaleRecords.COUNT);
    List<Long> seqs = new ArrayList<>();
    Iterable<TensorRecord> records = list.get(); // the backend's own state: null when empty
    for (TensorRecord r : records == null ? List.<TensorRecord>of() : records) {
      seqs.add(r.getSeq());
    }
    assertThat(count.value() == null ? 0 : count.value()).as("count of key " + key).isEqualTo(seqs.size());
    return seqs;
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void staleRecordsWaitForAFreshEnoughSnapshot(String backend) throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(WAIT_5S)) {
      h.setStateBackend(TrainerHarness.backend(backend));
      h.open();
      h.processBroadcastElement(snapshot("m", 1, 0), 0);
      h.processElement(record("m", 5), 0); // age 5000 ms: served
      h.processElement(record("m", 9), 0); // age 9000 ms: waits
      h.processElement(record("m", 12), 0); // age 12000 ms: waits
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsExactly(5L);
      assertThat(h.extractOutputValues().get(0).getEventTime()).isEqualTo(Instant.ofEpochMilli(5_000));
      assertThat(waiting(h, "m")).containsExactly(9L, 12L);
      assertThat(h.numEventTimeTimers()).as("the end-of-input timer").isEqualTo(1);

      h.processBroadcastElement(snapshot("m", 2, 4_000), 0); // serves seq 9 (age 5000), not 12 (8000)
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsExactly(5L, 9L);
      assertThat(h.extractOutputValues()).extracting(Prediction::getModelVersion).containsExactly(1L, 2L);
      assertThat(waiting(h, "m")).containsExactly(12L);

      h.processBroadcastElement(snapshot("m", 3, 20_000), 0); // newer than the record: age -8000, served
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsExactly(5L, 9L, 12L);
      assertThat(h.extractOutputValues().get(2).getModelVersion()).isEqualTo(3L);
      assertThat(waiting(h, "m")).isEmpty();
      assertThat(PredictorFunctionTest.deadLetters(h)).isEmpty();
    }
  }

  @Test
  void aFullWaitAndTheEndOfInputMakeDeadLettersWithTheirReasons() throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(WAIT_5S)) {
      h.open();
      h.processBroadcastElement(snapshot("m", 7, 1_000), 0);
      for (long seq = 10; seq < 13; seq++) {
        h.processElement(record("m", seq), 0);
      }
      h.processElement(record("n", 10), 0); // another key has its own bound
      assertThat(waiting(h, "m")).containsExactly(10L, 11L);
      assertThat(waiting(h, "n")).isEmpty();
      List<DeadLetter> dead = PredictorFunctionTest.deadLetters(h);
      assertThat(dead).singleElement().satisfies(d -> {
        assertThat(d.getReason()).isEqualTo("model 'm' version 7 is 11000 ms older than the record"
            + " (predict.maxModelAge is 5000 ms), and 2 records of key 'm' already wait for a fresher one"
            + " (predict.maxWaiting 2)");
        assertThat(d.getSeq()).isEqualTo(12L);
        assertThat(d.getStage()).isEqualTo(Uids.PREDICTOR);
        assertThat(d.getPayload()).isNotNull();
      });

      h.processBroadcastWatermark(Long.MAX_VALUE);
      h.processWatermark(Long.MAX_VALUE);
      dead = PredictorFunctionTest.deadLetters(h);
      assertThat(dead).extracting(DeadLetter::getKey, DeadLetter::getSeq).containsExactlyInAnyOrder(
          tuple("m", 12L), tuple("m", 10L), tuple("m", 11L), tuple("n", 10L));
      assertThat(dead).filteredOn(d -> d.getKey().equals("m") && d.getSeq() == 10L).singleElement()
          .extracting(DeadLetter::getReason).isEqualTo("model 'm' version 7 is 9000 ms older than the record"
              + " (predict.maxModelAge is 5000 ms); no fresher snapshot arrived before end of input");
      // "n" has no model: it waited in the first-snapshot buffer, as before
      assertThat(dead).filteredOn(d -> d.getKey().equals("n")).singleElement().extracting(DeadLetter::getReason)
          .isEqualTo("no model 'n' arrived before end of input");
      assertThat(waiting(h, "m")).isEmpty();
      assertThat(h.extractOutputValues()).isEmpty();
    }
  }

  @Test
  void onStaleDeadLetterRejectsAtOnceAndKeepsNothing() throws Exception {
    Staleness dl = new Staleness(5_000, Staleness.OnStale.DEAD_LETTER, 2);
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(dl)) {
      h.open();
      h.processBroadcastElement(snapshot("m", 1, 0), 0);
      h.processElement(record("m", 3), 0);
      h.processElement(record("m", 8), 0);
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsExactly(3L);
      assertThat(PredictorFunctionTest.deadLetters(h)).singleElement().extracting(DeadLetter::getReason)
          .isEqualTo("model 'm' version 1 is 8000 ms older than the record (predict.maxModelAge is 5000 ms);"
              + " predict.onStale is dead-letter");
      assertThat(waiting(h, "m")).isEmpty();
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void recordsBufferedBeforeTheFirstSnapshotThatItIsTooOldForMoveToTheStaleWait() throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(WAIT_5S)) {
      h.open();
      h.processElement(record("m", 2), 0);
      h.processElement(record("m", 30), 0);
      h.processBroadcastElement(snapshot("m", 1, 0), 0);
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsExactly(2L);
      assertThat(waiting(h, "m")).containsExactly(30L);
      h.processBroadcastElement(snapshot("m", 2, 26_000), 0);
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsExactly(2L, 30L);
      assertThat(waiting(h, "m")).isEmpty();
    }
  }

  @Test
  void withoutABoundAnyAgeServesAndNothingWaits() throws Exception {
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h =
        harness(Staleness.UNBOUNDED)) {
      h.open();
      h.processBroadcastElement(snapshot("m", 1, 0), 0);
      h.processElement(record("m", 1_000_000), 0);
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsExactly(1_000_000L);
      assertThat(waiting(h, "m")).isEmpty();
      assertThat(h.numEventTimeTimers()).isZero();
    }
  }

  @Test
  void theWaitSurvivesARestore() throws Exception {
    OperatorSubtaskState state;
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(WAIT_5S)) {
      h.setStateBackend(TrainerHarness.backend("rocksdb"));
      h.open();
      h.processBroadcastElement(snapshot("m", 1, 0), 0);
      h.processElement(record("m", 20), 0);
      state = h.snapshot(1, 1);
    }
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h = harness(WAIT_5S)) {
      h.setStateBackend(TrainerHarness.backend("rocksdb"));
      h.initializeState(state);
      h.open();
      assertThat(waiting(h, "m")).containsExactly(20L);
      assertThat(h.numEventTimeTimers()).isEqualTo(1);
      h.processBroadcastElement(snapshot("m", 2, 16_000), 0);
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsExactly(20L);
      assertThat(waiting(h, "m")).isEmpty();
    }
  }

  @Test
  void theWaitSurvivesRescalingFromTwoSubtasksToOne() throws Exception {
    List<String> keys = List.of("w1", "w2", "w3", "w4", "w5", "w6");
    List<OperatorSubtaskState> states = new ArrayList<>();
    for (int sub = 0; sub < 2; sub++) {
      try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h =
          new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
              new PredictorFunction(LAYER, "shared", WAIT_5S), List.of(PredictorFunction.MODELS)),
              Operators::recordKey, Types.STRING, 128, 2, sub)) {
        h.open();
        h.processBroadcastElement(snapshot("shared", 1, 0), 0);
        for (String k : keys) {
          if (KeyGroupRangeAssignment.assignKeyToParallelOperator(k, 128, 2) == sub) {
            h.processElement(record(k, 10), 0);
            h.processElement(record(k, 11), 0);
          }
        }
        assertThat(h.extractOutputValues()).isEmpty();
        states.add(h.snapshot(1, 1));
      }
    }
    OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repartitionOperatorState(
        AbstractStreamOperatorTestHarness.repackageState(states.toArray(new OperatorSubtaskState[0])), 128, 2, 1, 0);
    try (KeyedBroadcastOperatorTestHarness<String, TensorRecord, FilterSnapshot, Prediction> h =
        new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
            new PredictorFunction(LAYER, "shared", WAIT_5S), List.of(PredictorFunction.MODELS)),
            Operators::recordKey, Types.STRING, 128, 1, 0)) {
      h.initializeState(merged);
      h.open();
      for (String k : keys) {
        assertThat(waiting(h, k)).as(k).containsExactly(10L, 11L);
      }
      h.processBroadcastElement(snapshot("shared", 2, 5_500), 0); // fresh for seq 10 (age 4500), not 11 (5500)
      assertThat(h.extractOutputValues()).extracting(Prediction::getKey).containsExactlyInAnyOrderElementsOf(keys);
      assertThat(h.extractOutputValues()).extracting(Prediction::getSeq).containsOnly(10L);
      for (String k : keys) {
        assertThat(waiting(h, k)).as(k).containsExactly(11L);
      }
    }
  }
}
