package dev.streamgrad.records;

import dev.streamgrad.avro.TensorRecord;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer of {@link TensorRecord} streams (the input of forward operators, and of the
 * predictor across its {@code keyBy}): the fields written directly, {@code key} (string), {@code
 * seq} (long), {@code eventTime} (instant) and {@code tensor}, in {@link RecordWireFormat}'s
 * layout after a presence byte. Avro's generic writer and reader, which {@code AvroSerializer}
 * runs, walk the schema for every record; this writes the data bytes with one copy each way.
 * A record with nulls or invalid values crosses unchanged, so that the operator dead-letters it with
 * its reason (Avro's writer fails on a null field).
 *
 * <p>For streams only: state keeps its declared Avro type, and so its savepoint format.
 */
public final class TensorRecordSerializer extends RecordSerializer<TensorRecord> {
  private static final long serialVersionUID = 1L;

  /** Stateless: one instance serves every stream and thread. */
  public static final TensorRecordSerializer INSTANCE = new TensorRecordSerializer();

  private TensorRecordSerializer() {}

  @Override
  public TensorRecord createInstance() {
    return new TensorRecord();
  }

  @Override
  public TensorRecord copy(TensorRecord from) {
    if (from == null) {
      return null;
    }
    TensorRecord r = new TensorRecord();
    r.setKey(from.getKey());
    r.setSeq(from.getSeq());
    // the setter truncates to milliseconds but does not take null; null is the new record's value
    if (from.getEventTime() != null) {
      r.setEventTime(RecordWireFormat.wireTime(from.getEventTime()));
    }
    r.setTensor(RecordWireFormat.copyTensor(from.getTensor()));
    return r;
  }

  @Override
  void serializeFields(TensorRecord r, DataOutputView out) throws IOException {
    RecordWireFormat.writeString(r.getKey(), out);
    out.writeLong(r.getSeq());
    RecordWireFormat.writeTime(r.getEventTime(), out);
    RecordWireFormat.writeTensor(r.getTensor(), out);
  }

  @Override
  TensorRecord deserializeFields(DataInputView in) throws IOException {
    TensorRecord r = new TensorRecord();
    r.setKey(RecordWireFormat.readString(in));
    r.setSeq(in.readLong());
    Instant t = RecordWireFormat.readTime(in);
    if (t != null) {
      r.setEventTime(t);
    }
    r.setTensor(RecordWireFormat.readTensor(in));
    return r;
  }

  @Override
  public TypeSerializerSnapshot<TensorRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * The snapshot: no configuration, compatible as is with another of its class (a change of the
   * layout would need a new snapshot version and a rule for the old one).
   */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<TensorRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
