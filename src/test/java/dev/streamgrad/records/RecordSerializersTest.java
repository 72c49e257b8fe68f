package dev.streamgrad.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.FilterSnapshot;
import dev.streamgrad.avro.LabeledTensorRecord;
import dev.streamgrad.avro.Tensor;
import dev.streamgrad.avro.TensorRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/**
 * What Flink's contract tests do not say: the records' serializers give what Flink's {@code
 * AvroSerializer} gives for every record it can carry, carry exactly what it cannot, leave the
 * caller's buffers alone, and are found through {@link RecordTypeInfo}.
 */
class RecordSerializersTest {
  private static final TypeSerializer<LabeledTensorRecord> LABELED = LabeledTensorRecordSerializer.INSTANCE;
  private static final TypeSerializer<TensorRecord> UNLABELED = TensorRecordSerializer.INSTANCE;
  private static final AvroSerializer<LabeledTensorRecord> AVRO_LABELED = new AvroSerializer<>(LabeledTensorRecord.class);
  private static final AvroSerializer<TensorRecord> AVRO_UNLABELED = new AvroSerializer<>(TensorRecord.class);

  static <T> T roundTrip(TypeSerializer<T> s, T record) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    s.serialize(record, out);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    T back = s.deserialize(in);
    assertThat(in.available()).isZero();
    return back;
  }

  @Test
  void validRecordsComeBackAsAvrosSerializerGivesThem() throws IOException {
    Random rng = new Random(5);
    for (LabeledTensorRecord r : WireRecords.validLabeled(rng)) {
      LabeledTensorRecord ours = roundTrip(LABELED, r);
      LabeledTensorRecord avro = roundTrip(AVRO_LABELED, r);
      assertThat(ours).isEqualTo(avro).isEqualTo(r);
      assertSameForm(ours.getInput(), avro.getInput());
      assertSameForm(ours.getTarget(), avro.getTarget());
      assertThat(LABELED.copy(r)).isEqualTo(AVRO_LABELED.copy(r));
    }
    for (TensorRecord r : WireRecords.validUnlabeled(rng)) {
      TensorRecord ours = roundTrip(UNLABELED, r);
      assertThat(ours).isEqualTo(roundTrip(AVRO_UNLABELED, r)).isEqualTo(r);
      assertSameForm(ours.getTensor(), roundTrip(AVRO_UNLABELED, r).getTensor());
    }
  }

  /** The Java types and buffer state downstream code sees, as with Avro's reader. */
  private static void assertSameForm(Tensor ours, Tensor avro) {
    assertThat(ours.getShape()).isExactlyInstanceOf(avro.getShape().getClass());
    assertThat(ours.getData().hasArray()).isEqualTo(avro.getData().hasArray()).isTrue();
    assertThat(ours.getData().position()).isEqualTo(avro.getData().position()).isZero();
    assertThat(ours.getData().order()).isEqualTo(avro.getData().order());
  }

  @Test
  void subMillisecondEventTimesAreTruncatedAsAvroSerializerDoes() throws IOException {
    Random rng = new Random(6);
    for (String time : List.of("2023-11-14T22:13:20.123456789Z", "1969-12-31T23:59:59.999999999Z",
        "1969-12-31T23:59:59.000000001Z", "1970-01-01T00:00:00.000000001Z")) {
      LabeledTensorRecord r = WireRecords.validLabeled(rng).get(0);
      r.put(2, Instant.parse(time)); // only put() can set one: the setters truncate
      Instant avro = roundTrip(AVRO_LABELED, r).getEventTime();
      assertThat(avro).isEqualTo(Instant.parse(time).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
      assertThat(roundTrip(LABELED, r).getEventTime()).isEqualTo(avro);
      assertThat(LABELED.copy(r).getEventTime()).isEqualTo(avro);
      TensorRecord u = WireRecords.validUnlabeled(rng).get(0);
      u.put(2, Instant.parse(time));
      assertThat(roundTrip(UNLABELED, u).getEventTime()).isEqualTo(avro).isEqualTo(UNLABELED.copy(u).getEventTime());
    }
  }

  @Test
  void whatAvroCannotWriteCrossesExactly() throws IOException {
    LabeledTensorRecord r = WireRecords.labeled(null, 3, Instant.MAX.minusNanos(999_999),
        WireRecords.tensor(java.util.Arrays.asList(2, null, -1), null, null), null);
    assertThatThrownBy(() -> roundTrip(AVRO_LABELED, r)).isInstanceOf(RuntimeException.class);
    LabeledTensorRecord back = roundTrip(LABELED, r);
    assertThat(back.getModel()).isNull();
    assertThat(back.getEventTime()).isEqualTo(Instant.MAX.minusNanos(999_999));
    assertThat(back.getInput().getShape()).containsExactly(2, null, -1);
    assertThat(back.getInput().getDtype()).isNull();
    assertThat(back.getInput().getData()).isNull();
    assertThat(back.getTarget()).isNull();
    String lone = "\uD800 and \uDFFF alone";
    assertThat(roundTrip(UNLABELED, WireRecords.unlabeled(lone, 0, null, null)).getKey()).isEqualTo(lone);
    assertThat(roundTrip(LABELED, null)).isNull();
    assertThat(roundTrip(UNLABELED, new TensorRecord())).isEqualTo(new TensorRecord());
  }

  @Test
  void serializingLeavesTheCallersBuffersAsTheyWere() throws IOException {
    Random rng = new Random(7);
    for (Tensor t : WireRecords.adversarialTensors(rng)) {
      if (t == null || t.getData() == null) {
        continue;
      }
      ByteBuffer data = t.getData();
      int position = data.position();
      int limit = data.limit();
      ByteBuffer expected = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
      Tensor back = roundTrip(UNLABELED, WireRecords.unlabeled("k", 0, Instant.EPOCH, t)).getTensor();
      assertThat(data.position()).isEqualTo(position);
      assertThat(data.limit()).isEqualTo(limit);
      assertThat(back.getData()).isEqualTo(expected);
      assertThat(back.getData().hasArray()).isTrue();
      assertThat(back.getData().position()).isZero();
      assertThat(back.getData().capacity()).isEqualTo(expected.remaining());
    }
  }

  @Test
  void copiesAndReadsShareNothingWithTheOriginal() throws IOException {
    Random rng = new Random(8);
    LabeledTensorRecord r = WireRecords.validLabeled(rng).get(1);
    LabeledTensorRecord original = AVRO_LABELED.copy(r);
    for (LabeledTensorRecord other : List.of(LABELED.copy(r), roundTrip(LABELED, r))) {
      other.getInput().getData().put(0, (byte) ~other.getInput().getData().get(0));
      other.getInput().getShape().set(0, 99);
      other.getTarget().setDtype(DType.FLOAT32);
      assertThat(r).isEqualTo(original);
    }
  }

  @Test
  void aCorruptStreamIsAnIoExceptionNotAWrongRecord() {
    DataInputDeserializer in = new DataInputDeserializer(new byte[] {7});
    assertThatThrownBy(() -> LABELED.deserialize(in)).isInstanceOf(IOException.class).hasMessageContaining("tag 7");
  }

  @Test
  void snapshotsRestoreTheSerializerAndRefuseAvros() throws IOException {
    for (TypeSerializer<?> s : List.<TypeSerializer<?>>of(LABELED, UNLABELED)) {
      checkSnapshot(s);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void checkSnapshot(TypeSerializer<T> s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, s.snapshotConfiguration());
    TypeSerializerSnapshot<T> read = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), RecordSerializersTest.class.getClassLoader());
    assertThat(read).isExactlyInstanceOf(s.snapshotConfiguration().getClass());
    assertThat(read.restoreSerializer()).isEqualTo(s);
    assertThat(s.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs()).isTrue();
    // a state that was Avro's does not silently change format
    TypeSerializerSnapshot<T> avro = (TypeSerializerSnapshot<T>) new AvroSerializer<>(
        s.createInstance().getClass()).snapshotConfiguration();
    TypeSerializerSchemaCompatibility<T> fromAvro = s.snapshotConfiguration().resolveSchemaCompatibility(avro);
    assertThat(fromAvro.isIncompatible()).isTrue();
  }

  @Test
  void recordStreamsGetTheseSerializersOtherRecordsAvros() throws Exception {
    assertThat(RecordTypeInfo.streamType(LabeledTensorRecord.class)).isSameAs(RecordTypeInfo.LABELED);
    assertThat(RecordTypeInfo.streamType(TensorRecord.class)).isSameAs(RecordTypeInfo.UNLABELED);
    assertThat(RecordTypeInfo.streamType(FilterSnapshot.class)).isEqualTo(new AvroTypeInfo<>(FilterSnapshot.class));
    TypeInformation<LabeledTensorRecord> type = RecordTypeInfo.LABELED;
    assertThat(type.createSerializer(new SerializerConfigImpl())).isSameAs(LABELED);
    assertThat(type.getTypeClass()).isEqualTo(LabeledTensorRecord.class);
    assertThat(type).isNotEqualTo(RecordTypeInfo.UNLABELED).isNotEqualTo(new AvroTypeInfo<>(LabeledTensorRecord.class));
    TypeInformation<LabeledTensorRecord> copy = InstantiationUtil.clone(type);
    assertThat(copy).isEqualTo(type).hasSameHashCodeAs(type);
    assertThat(copy.createSerializer(new SerializerConfigImpl())).isEqualTo(LABELED);
  }
}
