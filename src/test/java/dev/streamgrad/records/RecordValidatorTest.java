package dev.streamgrad.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.TensorRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordValidatorTest {
  private static LabeledTensorRecord labeled() {
    return LabeledTensorRecord.newBuilder().setModel("m").setSeq(3).setEventTime(Instant.EPOCH)
        .setInput(TensorCodec.encode(Tensor.randn(1L, 4, 4), DType.FLOAT32))
        .setTarget(TensorCodec.encode(Tensor.randn(2L, 2, 2), DType.FLOAT64)).build();
  }

  private static TensorRecord unlabeled() {
    return TensorRecord.newBuilder().setKey("k").setSeq(1).setEventTime(Instant.EPOCH)
        .setTensor(TensorCodec.encode(Tensor.randn(1L, 4, 4), DType.FLOAT64)).build();
  }

  @Test
  void decodesValidRecords() throws Exception {
    RecordValidator.LabeledExample ex = RecordValidator.exampleOf(labeled());
    assertThat(ex.input().shape()).containsExactly(4, 4);
    assertThat(ex.target().shape()).containsExactly(2, 2);
    assertThat(RecordValidator.tensorOf(unlabeled()).shape()).containsExactly(4, 4);
  }

  @Test
  void reasonsNameTheField() {
    LabeledTensorRecord badTarget = labeled();
    badTarget.getTarget().setData(ByteBuffer.allocate(31));
    assertThatThrownBy(() -> RecordValidator.exampleOf(badTarget))
        .hasMessage("target: tensor data has 31 bytes but shape [2, 2] of FLOAT64 needs 32 (4 x 8)");
    LabeledTensorRecord noInput = labeled();
    noInput.setInput(null);
    assertThatThrownBy(() -> RecordValidator.exampleOf(noInput)).hasMessage("input: tensor is missing (null)");
    TensorRecord badTensor = unlabeled();
    badTensor.getTensor().setShape(java.util.List.of(4, 0));
    assertThatThrownBy(() -> RecordValidator.tensorOf(badTensor))
        .hasMessage("tensor: tensor shape [4, 0] has a non-positive dimension 0 at axis 1");
  }

  @Test
  void recordsBeyondTheJobsLimitsNameTheFieldAndTheLimit() throws Exception {
    // limits that hold 15 elements per tensor: the 4x4 input is one too many, the 2x2 target fits
    RecordLimits limits = RecordLimits.of(RecordLimits.MIN_RESERVE_BYTES + 2 * 64 * 15, 1);
    assertThat(limits.maxElements(DType.FLOAT32)).isEqualTo(15);
    assertThatThrownBy(() -> RecordValidator.exampleOf(labeled(), limits))
        .hasMessage("input: tensor shape [4, 4] has 16 elements, more than the " + limits.describe(DType.FLOAT32));
    assertThatThrownBy(() -> RecordValidator.tensorOf(unlabeled(), limits))
        .hasMessageStartingWith("tensor: tensor shape [4, 4] has 16 elements, more than the ");
    RecordLimits roomy = RecordLimits.of(RecordLimits.MIN_RESERVE_BYTES + 2 * 88 * 16, 1);
    assertThat(RecordValidator.exampleOf(labeled(), roomy).input().numel()).isEqualTo(16);
    assertThat(RecordValidator.tensorOf(unlabeled(), roomy).numel()).isEqualTo(16);
  }

  @Test
  void rejectsNullRecordsAndRequiredFields() {
    assertThatThrownBy(() -> RecordValidator.exampleOf(null)).hasMessage("record is missing (null)");
    assertThatThrownBy(() -> RecordValidator.tensorOf(null)).hasMessage("record is missing (null)");
    LabeledTensorRecord noModel = labeled();
    noModel.setModel(null);
    assertThatThrownBy(() -> RecordValidator.exampleOf(noModel)).hasMessage("model is missing (null)");
    LabeledTensorRecord noTime = labeled();
    noTime.put("eventTime", null);
    assertThatThrownBy(() -> RecordValidator.exampleOf(noTime)).hasMessage("eventTime is missing (null)");
    TensorRecord noKey = unlabeled();
    noKey.setKey(null);
    assertThatThrownBy(() -> RecordValidator.tensorOf(noKey)).hasMessage("key is missing (null)");
    TensorRecord noTime2 = unlabeled();
    noTime2.put("eventTime", null);
    assertThatThrownBy(() -> RecordValidator.tensorOf(noTime2)).hasMessage("eventTime is missing (null)");
  }

  @Test
  void rejectsEventTimesBeyondEpochMillisecondsAndTakesTheirEdges() throws InvalidRecordException {
    // an Instant made in code can lie beyond what timestamp-millis holds; the operators' clocks convert it
    LabeledTensorRecord far = labeled();
    far.put("eventTime", java.time.Instant.MAX);
    assertThatThrownBy(() -> RecordValidator.exampleOf(far))
        .hasMessage("eventTime +1000000000-12-31T23:59:59.999999999Z is outside the range of epoch milliseconds");
    TensorRecord early = unlabeled();
    early.put("eventTime", java.time.Instant.ofEpochMilli(Long.MIN_VALUE).minusMillis(1));
    assertThatThrownBy(() -> RecordValidator.tensorOf(early)).hasMessageEndingWith("outside the range of epoch milliseconds");
    LabeledTensorRecord edge = labeled();
    edge.put("eventTime", java.time.Instant.ofEpochMilli(Long.MAX_VALUE));
    assertThat(RecordValidator.exampleOf(edge).input().numel()).isPositive();
  }
}
