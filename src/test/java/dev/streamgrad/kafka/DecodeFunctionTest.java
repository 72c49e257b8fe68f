package dev.streamgrad.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.records.RecordTypeInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.OutputTag;
import org.junit.jupiter.api.Test;

class DecodeFunctionTest {
  private static final OutputTag<DeadLetter> DEAD = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

  @Test
  @SuppressWarnings("try") // the harness's close() may throw InterruptedException; the test propagates it
  void goodValuesPassBadOnesBecomeDeadLettersWithBytesPositionAndReason() throws Exception {
    SingleObjectCodec<LabeledTensorRecord> codec = SingleObjectCodec.of(LabeledTensorRecord.class);
    DecodeFunction<LabeledTensorRecord> fn = new DecodeFunction<>(codec, DEAD, "train-source-decode");
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    try (OneInputStreamOperatorTestHarness<KafkaPayload, LabeledTensorRecord> h =
        ProcessFunctionTestHarnesses.forProcessFunction(fn)) {
      h.processElement(payload(0, codec.encode(Samples.labeled("m", 0))), 0);
      h.processElement(payload(1, garbage), 0);
      h.processElement(payload(2, null), 0);
      h.processElement(payload(3, codec.encode(Samples.labeled("m", 1))), 0);

      assertThat(h.extractOutputValues()).containsExactly(Samples.labeled("m", 0), Samples.labeled("m", 1));
      List<DeadLetter> dead = h.getSideOutput(DEAD).stream().map(StreamRecord::getValue).toList();
      assertThat(dead).hasSize(2);
      assertThat(dead.get(0).getStage()).isEqualTo("train-source-decode");
      assertThat(dead.get(0).getReason()).startsWith("labeled-3@1: not Avro single-object encoding");
      assertThat(dead.get(0).getKey()).isEqualTo("m");
      assertThat(dead.get(0).getPayload().array()).isEqualTo(garbage);
      assertThat(dead.get(1).getReason()).contains("labeled-3@2: null value");
      assertThat(dead.get(1).getPayload()).isNull();
    }
  }

  private static KafkaPayload payload(long offset, byte[] value) {
    return new KafkaPayload("labeled", 3, offset, 1000 + offset, "m".getBytes(StandardCharsets.UTF_8), value);
  }

  @Test
  void theRawTypeIsAPojoNotKryoAndRecordsGetTheirOwnSerializer() {
    assertThat(TypeInformation.of(KafkaPayload.class))
        .isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
    assertThat(new DecodeFunction<>(SingleObjectCodec.of(LabeledTensorRecord.class), DEAD, "s").getProducedType())
        .isSameAs(RecordTypeInfo.LABELED);
    assertThat(new DecodeFunction<>(SingleObjectCodec.of(FilterSnapshot.class), DEAD, "s").getProducedType())
        .isInstanceOf(org.apache.flink.formats.avro.typeutils.AvroTypeInfo.class);
  }
}
