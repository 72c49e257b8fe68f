package dev.streamgrad.records;

import dev.streamgrad.avro.LabeledTensorRecord;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's serializer of {@link LabeledTensorRecord} streams (the trainer's input across its {@code
 * keyBy}): the fields written directly, {@code model} (string), {@code seq} (long), {@code
 * eventTime} (instant), {@code input} and {@code target} (tensors), in {@link RecordWireFormat}'s
 * layout after a presence byte. Avro's generic writer and reader, which {@code AvroSerializer}
 * runs, walk the schema for every record; this writes the data bytes with one copy each way.
 * A record with nulls or invalid values crosses unchanged, so that the trainer dead-letters it with
 * its reason (Avro's writer fails on a null field).
 *
 * <p>For streams only: state keeps its declared Avro type, and so its savepoint format.
 */
public final class LabeledTensorRecordSerializer extends RecordSerializer<LabeledTensorRecord> {
  private static final long serialVersionUID = 1L;

  /** Stateless: one instance serves every stream and thread. */
  public static final LabeledTensorRecordSerializer INSTANCE = new LabeledTensorRecordSerializer();

  private LabeledTensorRecordSerializer() {}

  @Override
  public LabeledTensorRecord createInstance() {
    return new LabeledTensorRecord();
  }

  @Override
  public LabeledTensorRecord copy(LabeledTensorRecord from) {
    if (from == null) {
      return null;
    }
    LabeledTensorRecord r = new LabeledTensorRecord();
    r.setModel(from.getModel());
    r.setSeq(from.getSeq());
    // the setter truncates to milliseconds but does not take null; null is the new record's value
    if (from.getEventTime() != null) {
      r.setEventTime(RecordWireFormat.wireTime(from.getEventTime()));
    }
    r.setInput(RecordWireFormat.copyTensor(from.getInput()));
    r.setTarget(RecordWireFormat.copyTensor(from.getTarget()));
    return r;
  }

  @Override
  void serializeFields(LabeledTensorRecord r, DataOutputView out) throws IOException {
    RecordWireFormat.writeString(r.getModel(), out);
    out.writeLong(r.getSeq());
    RecordWireFormat.writeTime(r.getEventTime(), out);
    RecordWireFormat.writeTensor(r.getInput(), out);
    RecordWireFormat.writeTensor(r.getTarget(), out);
  }

  @Override
  LabeledTensorRecord deserializeFields(DataInputView in) throws IOException {
    LabeledTensorRecord r = new LabeledTensorRecord();
    r.setModel(RecordWireFormat.readString(in));
    r.setSeq(in.readLong());
    Instant t = RecordWireFormat.readTime(in);
    if (t != null) {
      r.setEventTime(t);
    }
    r.setInput(RecordWireFormat.readTensor(in));
    r.setTarget(RecordWireFormat.readTensor(in));
    return r;
  }

  @Override
  public TypeSerializerSnapshot<LabeledTensorRecord> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * The snapshot: no configuration, compatible as is with another of its class (a change of the
   * layout would need a new snapshot version and a rule for the old one).
   */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<LabeledTensorRecord> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
