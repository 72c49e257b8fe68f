package dev.streamgrad.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.TensorRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AvroPayloadsTest {
  private static TensorRecord record() {
    return TensorRecord.newBuilder().setKey("k").setSeq(9).setEventTime(Instant.ofEpochMilli(123))
        .setTensor(TensorCodec.encode(Tensor.randn(1L, 2, 3), DType.FLOAT32)).build();
  }

  @Test
  void singleObjectEncodingRoundTrips() throws Exception {
    ByteBuffer bytes = AvroPayloads.encode(record());
    byte[] b = Arrays.copyOfRange(bytes.array(), bytes.arrayOffset() + bytes.position(),
        bytes.arrayOffset() + bytes.limit());
    assertThat(b[0]).as("single-object marker").isEqualTo((byte) 0xC3);
    assertThat(b[1]).isEqualTo((byte) 0x01);
    assertThat(AvroPayloads.decode(b, TensorRecord.class)).isEqualTo(record());
  }

  @Test
  void undecodableBytesGiveAReason() {
    assertThatThrownBy(() -> AvroPayloads.decode(new byte[] {1, 2, 3}, TensorRecord.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessageStartingWith("cannot decode 3 bytes as TensorRecord: ");
    assertThatThrownBy(() -> AvroPayloads.decode(null, TensorRecord.class)).hasMessage("payload is missing (null)");
  }

  @Test
  void recordsWithNullRequiredFieldsHaveNoPayload() {
    TensorRecord r = record();
    r.setKey(null);
    assertThat(AvroPayloads.encodeOrNull(r)).isNull();
    assertThat(AvroPayloads.encodeOrNull(null)).isNull();
  }
}
