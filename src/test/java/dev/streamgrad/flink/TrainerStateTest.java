package dev.streamgrad.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The trainer state's declared type information: Flink's POJO serializer, no Kryo, exact round trip. */
class TrainerStateTest {
  private static TrainerState filled() {
    TrainerState s = new TrainerState();
    s.params = new HashMap<>();
    s.params.put("filter", new double[] {1, -2.5, Double.MIN_VALUE, 4});
    s.params.put("bias", new double[] {0.125});
    s.optimizer.put("0.exp_avg", new double[] {1, 2, 3, 4});
    s.optimizer.put("0.step", new double[] {7});
    s.optimizer.put("1.exp_avg", new double[] {0.5});
    s.version = 7;
    s.records = 15;
    s.recordsAtSnapshot = 10;
    s.lossSum = 3.25;
    s.lossCount = 5;
    s.batchGrads = new HashMap<>();
    s.batchGrads.put("filter", new double[] {0.1, 0.2, 0.3, 0.4});
    s.batchGrads.put("bias", new double[] {-1});
    s.batchCount = 1;
    s.eventTime = 123_456;
    return s;
  }

  @Test
  void serializesWithThePojoSerializerAndNoGenericTypes() throws Exception {
    SerializerConfigImpl config = new SerializerConfigImpl();
    config.setGenericTypes(false); // any Kryo fallback would throw here
    assertThat(TrainerState.TYPE_INFO).isInstanceOf(PojoTypeInfo.class);
    TypeSerializer<TrainerState> serializer = TrainerState.TYPE_INFO.createSerializer(config);
    assertThat(serializer).isInstanceOf(PojoSerializer.class);
    for (TrainerState s : new TrainerState[] {filled(), legacy(), new TrainerState()}) {
      DataOutputSerializer out = new DataOutputSerializer(256);
      serializer.serialize(s, out);
      TrainerState back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(back).usingRecursiveComparison().isEqualTo(s);
    }
  }

  @Test
  void copyIsDeep() {
    TrainerState s = filled();
    TrainerState c = s.copy();
    c.params.get("filter")[0] = 99;
    c.optimizer.get("0.exp_avg")[0] = 99;
    c.batchGrads.get("filter")[0] = 99;
    assertThat(s.params.get("filter")[0]).isEqualTo(1);
    assertThat(s.optimizer).extractingByKey("0.exp_avg").satisfies(v -> assertThat(v[0]).isEqualTo(1));
    assertThat(s.batchGrads.get("filter")[0]).isEqualTo(0.1);
    assertThat(c.optimizer).containsOnlyKeys(Map.of("0.exp_avg", 0, "0.step", 0, "1.exp_avg", 0).keySet());
  }

  /** The conv2d-only layout of releases before the state dict, as their savepoints hold it. */
  private static TrainerState legacy() {
    TrainerState s = filled();
    s.params = null;
    s.batchGrads = null;
    s.filter = new double[] {1, -2.5, Double.MIN_VALUE, 4};
    s.kernelHeight = 2;
    s.kernelWidth = 2;
    s.bias = 0.125;
    s.batchGradFilter = new double[] {0.1, 0.2, 0.3, 0.4};
    s.batchGradBias = -1;
    return s;
  }

  @Test
  void theLegacyConv2dLayoutMovesIntoTheStateDictOnce() {
    TrainerState s = legacy();
    assertThat(s.migrateLegacyConv2d()).isTrue();
    assertThat(s).usingRecursiveComparison().ignoringFields("params", "batchGrads", "filter", "kernelHeight",
        "kernelWidth", "bias", "batchGradFilter", "batchGradBias").isEqualTo(filled());
    assertThat(s.params).containsOnlyKeys("filter", "bias");
    assertThat(s.params.get("filter")).containsExactly(1, -2.5, Double.MIN_VALUE, 4);
    assertThat(s.params.get("bias")).containsExactly(0.125);
    assertThat(s.batchGrads.get("filter")).containsExactly(0.1, 0.2, 0.3, 0.4);
    assertThat(s.batchGrads.get("bias")).containsExactly(-1);
    assertThat(s.filter).isNull();
    assertThat(s.batchGradFilter).isNull();
    assertThat(s.migrateLegacyConv2d()).isFalse();
    TrainerState current = filled();
    assertThat(current.migrateLegacyConv2d()).isFalse();
  }
}
