package dev.streamgrad.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.job.io.RecordJson;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AnyRecordDecoderTest {

  @Test
  void decodesAnyKnownRecordTypeByItsFingerprint() throws Exception {
    AnyRecordDecoder decoder = AnyRecordDecoder.bundled();
    GenericRecord labeled = decoder.decode(SingleObjectCodec.of(LabeledTensorRecord.class).encode(Samples.labeled("m", 4)));
    assertThat(labeled.getSchema().getName()).isEqualTo("LabeledTensorRecord");
    assertThat(labeled.get("model").toString()).isEqualTo("m");
    assertThat(labeled.get("seq")).isEqualTo(4L);
    GenericRecord snapshot = decoder.decode(SingleObjectCodec.of(FilterSnapshot.class).encode(Samples.snapshot("m", 9)));
    assertThat(snapshot.getSchema().getName()).isEqualTo("FilterSnapshot");
    assertThat(RecordJson.toJson(snapshot)).contains("\"version\"").contains("9");
  }

  @Test
  void rejectsWhatIsNotAKnownRecord() {
    AnyRecordDecoder decoder = AnyRecordDecoder.bundled();
    byte[] unknown = SingleObjectCodec.of(FilterSnapshot.class).encode(Samples.snapshot("m", 9));
    unknown[3] ^= 1;
    assertThatThrownBy(() -> decoder.decode(unknown)).isInstanceOf(UndecodableException.class)
        .hasMessageContaining("not a known version of any streamgrad record");
    assertThatThrownBy(() -> decoder.decode(new byte[] {0x7b, 0x7d})).hasMessageContaining("not Avro single-object");
    byte[] good = SingleObjectCodec.of(FilterSnapshot.class).encode(Samples.snapshot("m", 9));
    assertThatThrownBy(() -> decoder.decode(java.util.Arrays.copyOf(good, good.length - 1)))
        .hasMessageContaining("FilterSnapshot.");
  }
}
