package dev.streamgrad.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.autograd.Tensor;
import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.TensorRecord;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
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
  void forgedCountsAndLengthsAreRejectedBeforeAvroAllocates() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer header = AvroPayloads.encode(record());
    out.write(header.array(), header.arrayOffset(), 10);
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    enc.writeString("k");
    enc.writeLong(1);
    enc.writeLong(0);
    enc.writeLong(1_000_000_000L); // the shape array claims a billion items
    enc.writeInt(3);
    enc.flush();
    assertThatThrownBy(() -> AvroPayloads.decode(out.toByteArray(), TensorRecord.class))
        .isInstanceOf(InvalidRecordException.class)
        .hasMessage("cannot decode " + out.size() + " bytes as TensorRecord: TensorRecord.tensor.shape: "
            + "1000000000 items but 1 bytes remain");

    byte[] valid = bytes(AvroPayloads.encode(record()));
    byte[] trailing = Arrays.copyOf(valid, valid.length + 2);
    assertThatThrownBy(() -> AvroPayloads.decode(trailing, TensorRecord.class))
        .hasMessage("cannot decode " + trailing.length + " bytes as TensorRecord: 2 trailing bytes after a complete"
            + " TensorRecord");
  }

  @Test
  void forgedEnumIndexesAndUnionBranchesAreRejected() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer header = AvroPayloads.encode(record());
    out.write(header.array(), header.arrayOffset(), 10);
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    enc.writeString("k");
    enc.writeLong(1);
    enc.writeLong(0);
    enc.writeArrayStart();
    enc.setItemCount(1);
    enc.startItem();
    enc.writeInt(2);
    enc.writeArrayEnd();
    enc.writeInt(5); // DType has two symbols
    enc.writeBytes(new byte[8]);
    enc.flush();
    assertThatThrownBy(() -> AvroPayloads.decode(out.toByteArray(), TensorRecord.class))
        .hasMessageEndingWith("TensorRecord.tensor.dtype: enum index 5 outside 0..1");

    DeadLetter letter = DeadLetter.newBuilder().setStage("s").setReason("r").setKey("k").setSeq(3L).build();
    byte[] b = bytes(AvroPayloads.encode(letter));
    // body: stage "s" (2 bytes), reason "r" (2 bytes), then the key's union branch: 1 (string) -> 7
    b[10 + 4] = 14;
    assertThatThrownBy(() -> AvroPayloads.decode(b, DeadLetter.class))
        .hasMessageEndingWith("DeadLetter.key: union branch 7 outside 0..1");
    assertThat(AvroPayloads.decode(bytes(AvroPayloads.encode(letter)), DeadLetter.class)).isEqualTo(letter);
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void recordsWithNullRequiredFieldsHaveNoPayload() {
    TensorRecord r = record();
    r.setKey(null);
    assertThat(AvroPayloads.encodeOrNull(r)).isNull();
    assertThat(AvroPayloads.encodeOrNull(null)).isNull();
  }
}
