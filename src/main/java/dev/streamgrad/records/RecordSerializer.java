package dev.streamgrad.records;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the tensor records' serializers share: each is stateless (so {@link #duplicate()} returns
 * itself and one instance serves every thread), writes a variable length, starts a record with a
 * presence byte (0: a null record, 1: the fields follow, {@link RecordWireFormat}) and copies by
 * value: {@link #copy(Object)} gives exactly what serializing and deserializing would.
 */
abstract class RecordSerializer<T> extends TypeSerializer<T> {
  private static final long serialVersionUID = 1L;

  @Override
  public final boolean isImmutableType() {
    return false;
  }

  @Override
  public final TypeSerializer<T> duplicate() {
    return this;
  }

  @Override
  public final int getLength() {
    return -1;
  }

  @Override
  public final T copy(T from, T reuse) {
    return copy(from);
  }

  @Override
  public final void serialize(T record, DataOutputView out) throws IOException {
    if (record == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    serializeFields(record, out);
  }

  @Override
  public final T deserialize(DataInputView in) throws IOException {
    byte tag = in.readByte();
    if (tag == 0) {
      return null;
    }
    if (tag != 1) {
      throw new IOException("corrupt " + getClass().getSimpleName() + " stream: record tag " + tag);
    }
    return deserializeFields(in);
  }

  /** Reuse is not worth it: the data arrays, most of a record, are fresh for every record anyway. */
  @Override
  public final T deserialize(T reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  /** Through a record: the layout has no field lengths to skip by, and this path is rare (sorting, spilling). */
  @Override
  public final void copy(DataInputView source, DataOutputView target) throws IOException {
    serialize(deserialize(source), target);
  }

  @Override
  public final boolean equals(Object o) {
    return o != null && o.getClass() == getClass();
  }

  @Override
  public final int hashCode() {
    return getClass().hashCode();
  }

  /** Writes the fields of a record that is not null. */
  abstract void serializeFields(T record, DataOutputView out) throws IOException;

  /** Reads what {@link #serializeFields} wrote. */
  abstract T deserializeFields(DataInputView in) throws IOException;
}
