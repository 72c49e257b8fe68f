package dev.streamgrad.flink;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.layers.LayerSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Operator test harness around the trainer, with access to its keyed state. */
final class TrainerHarness {
  static final int MAX_PARALLELISM = 128;

  private TrainerHarness() {}

  /** A harness for subtask {@code index} of {@code parallelism}, set up but not yet opened. */
  static KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> create(
      LayerSpec layer, TrainConfig train, int parallelism, int index) throws Exception {
    return create(layer, train, parallelism, index, "hashmap");
  }

  /** As {@link #create(LayerSpec, TrainConfig, int, int)} on the {@code hashmap} or {@code rocksdb} backend. */
  static KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> create(
      LayerSpec layer, TrainConfig train, int parallelism, int index, String backend) throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h =
        new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new TrainerFunction(layer, train)),
            Operators::modelKey, Types.STRING, MAX_PARALLELISM, parallelism, index);
    ((SerializerConfigImpl) h.getExecutionConfig().getSerializerConfig()).setGenericTypes(false);
    h.setStateBackend(backend(backend));
    return h;
  }

  static StateBackend backend(String name) {
    return "rocksdb".equals(name) ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
  }

  static KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> open(
      LayerSpec layer, TrainConfig train) throws Exception {
    KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h = create(layer, train, 1, 0);
    h.open();
    return h;
  }

  static void feed(KeyedOneInputStreamOperatorTestHarness<String, LabeledTensorRecord, FilterSnapshot> h,
      List<LabeledTensorRecord> records) throws Exception {
    for (LabeledTensorRecord r : records) {
      h.processElement(r, r.getSeq());
    }
  }

  static List<DeadLetter> deadLetters(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h) {
    List<DeadLetter> out = new ArrayList<>();
    if (h.getSideOutput(DeadLetters.TAG) != null) {
      for (StreamRecord<DeadLetter> r : h.getSideOutput(DeadLetters.TAG)) {
        out.add(r.getValue());
      }
    }
    return out;
  }

  /** The trainer state of {@code model}, or null. */
  @SuppressWarnings("unchecked")
  static TrainerState state(KeyedOneInputStreamOperatorTestHarness<String, ?, ?> h, String model) throws Exception {
    KeyedStateBackend<Object> raw = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
    KeyedStateBackend<String> backend = (KeyedStateBackend<String>) (KeyedStateBackend<?>) raw;
    backend.setCurrentKey(model);
    return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
        TrainerFunction.stateDescriptor()).value();
  }
}
