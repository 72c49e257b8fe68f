package dev.streamgrad.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.avro.DeadLetter;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Prediction;
import dev.streamgrad.avro.TensorRecord;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {

  private static final List<SpecificRecord> SAMPLES = List.of(
      Samples.labeled("m1", 3), Samples.tensorRecord("k", 4), Samples.snapshot("m1", 9),
      Samples.prediction("k", 5), Samples.deadLetter(), Samples.predictionScore("k", 6));

  @Test
  void everyRecordTypeRoundTrips() throws Exception {
    for (SpecificRecord record : SAMPLES) {
      assertThat(roundTrip(record)).as(record.getClass().getSimpleName()).isEqualTo(record);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> T roundTrip(T record) throws UndecodableException {
    SingleObjectCodec<T> codec = SingleObjectCodec.of((Class<T>) record.getClass());
    return codec.decode(codec.encode(record));
  }

  @Test
  void headerIsMarkerAndLittleEndianFingerprintOfTheSchema() {
    LabeledTensorRecord record = Samples.labeled("m1", 1);
    byte[] bytes = SingleObjectCodec.of(LabeledTensorRecord.class).encode(record);
    long fingerprint = SchemaNormalization.parsingFingerprint64(LabeledTensorRecord.getClassSchema());
    assertThat(bytes[0] & 0xff).isEqualTo(0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    for (int i = 0; i < 8; i++) {
      assertThat(bytes[2 + i]).isEqualTo((byte) (fingerprint >>> (8 * i)));
    }
    // the same bytes Avro's own single-object encoder produces
    assertThat(bytes).isEqualTo(toArray(record));
  }

  private static byte[] toArray(LabeledTensorRecord record) {
    try {
      return record.toByteBuffer().array();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void everyCurrentSchemaIsAKnownVersion() {
    // a schema change without a new schemas/versions/<Name>-v<N>.avsc would make our own output unreadable
    SchemaVersions versions = SchemaVersions.bundled();
    for (SpecificRecord record : SAMPLES) {
      long fp = SchemaNormalization.parsingFingerprint64(record.getSchema());
      assertThat(versions.version(fp)).as(record.getSchema().getName()).isNotNull();
      assertThat(versions.version(fp).name()).isEqualTo(record.getSchema().getName());
    }
  }

  @Test
  void recordOfAnotherTypeIsRejectedWithBothNames() {
    byte[] snapshot = SingleObjectCodec.of(FilterSnapshot.class).encode(Samples.snapshot("m", 1));
    assertThatThrownBy(() -> SingleObjectCodec.of(LabeledTensorRecord.class).decode(snapshot))
        .isInstanceOf(UndecodableException.class)
        .hasMessageContaining("FilterSnapshot-v3")
        .hasMessageContaining("LabeledTensorRecord was expected");
  }

  @Test
  void badInputsSayWhy() {
    SingleObjectCodec<TensorRecord> codec = SingleObjectCodec.of(TensorRecord.class);
    byte[] good = codec.encode(Samples.tensorRecord("k", 1));

    assertThatThrownBy(() -> codec.decode(null)).hasMessageContaining("null value");
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 1, 2}))
        .hasMessageContaining("3 bytes, shorter than the 10-byte single-object header");
    assertThatThrownBy(() -> codec.decode("{\"key\":\"k\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .hasMessageContaining("not Avro single-object encoding: starts with 7B 22");

    byte[] unknown = good.clone();
    unknown[5] ^= 0x55;
    assertThatThrownBy(() -> codec.decode(unknown))
        .hasMessageContaining("unknown writer schema fingerprint")
        .hasMessageContaining("TensorRecord-v1");

    byte[] truncated = Arrays.copyOf(good, good.length - 3);
    assertThatThrownBy(() -> codec.decode(truncated))
        .isInstanceOf(UndecodableException.class)
        .hasMessageContaining("TensorRecord.tensor.data");

    byte[] trailing = Arrays.copyOf(good, good.length + 2);
    assertThatThrownBy(() -> codec.decode(trailing)).hasMessageContaining("2 trailing bytes");
  }

  @Test
  void aCorruptLengthIsRejectedBeforeAnythingIsAllocated() {
    SingleObjectCodec<DeadLetter> codec = SingleObjectCodec.of(DeadLetter.class);
    byte[] good = codec.encode(Samples.deadLetter());
    // the body starts with the stage string's zig-zag varint length; claim ~2^31 bytes
    byte[] huge = new byte[good.length + 4];
    System.arraycopy(good, 0, huge, 0, SingleObjectCodec.HEADER_LENGTH);
    byte[] varint = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
    System.arraycopy(varint, 0, huge, SingleObjectCodec.HEADER_LENGTH, varint.length);
    System.arraycopy(good, SingleObjectCodec.HEADER_LENGTH + 1, huge, SingleObjectCodec.HEADER_LENGTH + 5,
        good.length - SingleObjectCodec.HEADER_LENGTH - 1);
    assertThatThrownBy(() -> codec.decode(huge))
        .hasMessageContaining("DeadLetter.stage: length 2147483647 but ");
  }

  @Test
  void theCodecIsJavaSerializableForFlinkFunctions() throws Exception {
    SingleObjectCodec<Prediction> codec = SingleObjectCodec.of(Prediction.class);
    byte[] bytes = codec.encode(Samples.prediction("k", 1));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream oos = new java.io.ObjectOutputStream(out)) {
      oos.writeObject(codec);
    }
    Object copy;
    try (java.io.ObjectInputStream ois = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(out.toByteArray()))) {
      copy = ois.readObject();
    }
    @SuppressWarnings("unchecked")
    SingleObjectCodec<Prediction> restored = (SingleObjectCodec<Prediction>) copy;
    assertThat(restored.decode(bytes)).isEqualTo(SpecificData.get().deepCopy(Prediction.getClassSchema(),
        Samples.prediction("k", 1)));
  }
}
