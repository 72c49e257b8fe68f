package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.layers.Conv2dSpec;
import dev.streamgrad.layers.LayerSpec;
import dev.streamgrad.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trainer's keyed state survives a snapshot and restore, and rescaling 2 to 1 and 1 to 2
 * subtasks, on the hashmap and the rocksdb backend: after restoring, training continues and ends exactly where an uninterrupted run ends.
 */
// the harnesses' close() declares InterruptedException, which try-with-resources lint flags
@SuppressWarnings("try")
class TrainerRescaleTest {
  private static final LayerSpec LAYER = Conv2dSpec.seeded(3, 3, 7);
  private static final TrainConfig TRAIN = new TrainConfig(OptimizerSpec.adam(0.01, 0.9, 0.999, 1e-8, 0.01, true), 2, 5);
  private static final List<String> MODELS = List.of("a", "b", "c", "d", "e", "f");
  private static final List<LabeledTensorRecord> RECORDS = new ArrayList<>();
  private static List<FilterSnapshot> uninterrupted;

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    Random rng = new Random(42);
    for (int i = 0; i < 25; i++) {
      for (String m : MODELS) {
        RECORDS.add(TestRecords.random(m, i, rng, 9, 8, 3, 3));
      }
    }
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.open(LAYER, TRAIN)) {
      TrainerHarness.feed(h, RECORDS);
      h.processWatermark(Long.MAX_VALUE);
      uninterrupted = sorted(h.extractOutputValues());
    }
    assertThat(uninterrupted).hasSize(MODELS.size() * 3);
    assertThat(MODELS).extracting(m -> owner(m, 2)).as("the models spread over both subtasks").contains(0, 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void snapshotAndRestoreContinuesExactly(String backend) throws Exception {
    List<FilterSnapshot> out = new ArrayList<>();
    OperatorSubtaskState state;
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.create(LAYER, TRAIN, 1, 0, backend)) {
      h.open();
      TrainerHarness.feed(h, RECORDS.subList(0, 61));
      state = h.snapshot(1, 1);
      out.addAll(h.extractOutputValues());
    }
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.create(LAYER, TRAIN, 1, 0, backend)) {
      h.initializeState(state);
      h.open();
      assertThat(TrainerHarness.state(h, "b").records).isEqualTo(10);
      assertThat(TrainerHarness.state(h, "b").batchCount).as("a pending mini-batch is restored").isEqualTo(0);
      assertThat(TrainerHarness.state(h, "a").batchCount).isEqualTo(1);
      TrainerHarness.feed(h, RECORDS.subList(61, RECORDS.size()));
      h.processWatermark(Long.MAX_VALUE);
      out.addAll(h.extractOutputValues());
    }
    assertThat(sorted(out)).isEqualTo(uninterrupted);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void rescaleFromTwoSubtasksToOne(String backend) throws Exception {
    List<FilterSnapshot> out = new ArrayList<>();
    List<OperatorSubtaskState> states = new ArrayList<>();
    for (int sub = 0; sub < 2; sub++) {
      try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
          TrainerHarness.create(LAYER, TRAIN, 2, sub, backend)) {
        h.open();
        TrainerHarness.feed(h, ownedBy(RECORDS.subList(0, 70), 2, sub));
        states.add(h.snapshot(1, 1));
        out.addAll(h.extractOutputValues());
      }
    }
    OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repartitionOperatorState(
        AbstractStreamOperatorTestHarness.repackageState(states.toArray(new OperatorSubtaskState[0])),
        TrainerHarness.MAX_PARALLELISM, 2, 1, 0);
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.create(LAYER, TRAIN, 1, 0, backend)) {
      h.initializeState(merged);
      h.open();
      for (String m : MODELS) {
        assertThat(TrainerHarness.state(h, m)).as("state of model %s after 2 -> 1", m).isNotNull();
      }
      TrainerHarness.feed(h, RECORDS.subList(70, RECORDS.size()));
      h.processWatermark(Long.MAX_VALUE);
      out.addAll(h.extractOutputValues());
    }
    assertThat(sorted(out)).isEqualTo(uninterrupted);
  }

  @ParameterizedTest
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void rescaleFromOneSubtaskToTwo(String backend) throws Exception {
    List<FilterSnapshot> out = new ArrayList<>();
    OperatorSubtaskState state;
    try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        TrainerHarness.create(LAYER, TRAIN, 1, 0, backend)) {
      h.open();
      TrainerHarness.feed(h, RECORDS.subList(0, 83));
      state = h.snapshot(1, 1);
      out.addAll(h.extractOutputValues());
    }
    int restoredModels = 0;
    for (int sub = 0; sub < 2; sub++) {
      OperatorSubtaskState part = AbstractStreamOperatorTestHarness.repartitionOperatorState(
          state, TrainerHarness.MAX_PARALLELISM, 1, 2, sub);
      try (KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
          TrainerHarness.create(LAYER, TRAIN, 2, sub, backend)) {
        h.initializeState(part);
        h.open();
        for (String m : MODELS) {
          if (owner(m, 2) == sub) {
            assertThat(TrainerHarness.state(h, m)).as("state of model %s on subtask %d", m, sub).isNotNull();
            restoredModels++;
          }
        }
        TrainerHarness.feed(h, ownedBy(RECORDS.subList(83, RECORDS.size()), 2, sub));
        h.processWatermark(Long.MAX_VALUE);
        out.addAll(h.extractOutputValues());
      }
    }
    assertThat(restoredModels).isEqualTo(MODELS.size());
    assertThat(sorted(out)).isEqualTo(uninterrupted);
  }

  private static int owner(String model, int parallelism) {
    return KeyGroupRangeAssignment.assignKeyToParallelOperator(model, TrainerHarness.MAX_PARALLELISM, parallelism);
  }

  private static List<LabeledTensorRecord> ownedBy(List<LabeledTensorRecord> records, int parallelism, int sub) {
    List<LabeledTensorRecord> out = new ArrayList<>();
    for (LabeledTensorRecord r : records) {
      if (owner(r.getModel(), parallelism) == sub) {
        out.add(r);
      }
    }
    return out;
  }

  private static List<FilterSnapshot> sorted(List<FilterSnapshot> snaps) {
    List<FilterSnapshot> out = new ArrayList<>(snaps);
    out.sort(Comparator.comparing(FilterSnapshot::getModel).thenComparing(FilterSnapshot::getVersion));
    return out;
  }
}
