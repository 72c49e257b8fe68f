package dev.streamgrad.records;

import dev.streamgrad.avro.DType;
import dev.streamgrad.avro.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The fields of the tensor records as {@link LabeledTensorRecordSerializer} and {@link
 * TensorRecordSerializer} write them between Flink operators: each field directly, in a layout that
 * holds every value the generated classes can hold, nulls and invalid values included, because
 * operators validate records after the shuffle and must dead-letter them with the reason the source
 * would have given.
 *
 * <pre>
 * string  Flink's StringValue layout: varint length + 1 (0: null), then each UTF-16 char as a varint
 *         (exact for every Java string; UTF-8 would replace an unpaired surrogate)
 * instant byte 0: null | 1, long epoch millis | 2, long epoch seconds, int nanos (beyond the range
 *         of epoch millis, about +-292 million years)
 * tensor  byte 0: null | 1, then shape, dtype, data
 * shape   int n (-1: null), byte 0 then n ints | byte 1 (a null among them) then n (boolean, int)
 * dtype   byte ordinal (-1: null)
 * data    int n (-1: null), then the buffer's n remaining bytes
 * </pre>
 *
 * <p>Event times keep millisecond precision, as Avro's {@code timestamp-millis} and the
 * {@code AvroSerializer} this replaces do: a sub-millisecond part (only {@code put} can set one, the
 * generated setters truncate) is truncated as {@link Instant#truncatedTo} does, towards the past.
 * Read data is a fresh heap buffer at position 0, and shapes Avro's own list type, as Avro's reader
 * makes them.
 */
final class RecordWireFormat {
  private static final Schema SHAPE_SCHEMA = Tensor.getClassSchema().getField("shape").schema();
  private static final DType[] DTYPES = DType.values();
  private static final long MILLIS_MIN_SECONDS = Long.MIN_VALUE / 1000;
  private static final long MILLIS_MAX_SECONDS = Long.MAX_VALUE / 1000 - 1;
  /** Bytes copied at a time from a buffer without an accessible array (direct or read-only). */
  private static final int CHUNK = 8192;

  private RecordWireFormat() {}

  static void writeString(String s, DataOutputView out) throws IOException {
    StringValue.writeString(s, out);
  }

  static String readString(DataInputView in) throws IOException {
    return StringValue.readString(in);
  }

  /** What an event time is after a trip through the wire: millisecond precision. */
  static Instant wireTime(Instant t) {
    return t == null || t.getNano() % 1_000_000 == 0 ? t : Instant.ofEpochSecond(t.getEpochSecond(),
        t.getNano() - t.getNano() % 1_000_000);
  }

  static void writeTime(Instant t, DataOutputView out) throws IOException {
    if (t == null) {
      out.writeByte(0);
    } else if (t.getEpochSecond() > MILLIS_MIN_SECONDS && t.getEpochSecond() < MILLIS_MAX_SECONDS) {
      // toEpochMilli floors, as Avro's TimestampMillisConversion writes it
      out.writeByte(1);
      out.writeLong(t.toEpochMilli());
    } else {
      out.writeByte(2);
      out.writeLong(t.getEpochSecond());
      out.writeInt(t.getNano() - t.getNano() % 1_000_000);
    }
  }

  static Instant readTime(DataInputView in) throws IOException {
    byte tag = in.readByte();
    switch (tag) {
      case 0:
        return null;
      case 1:
        return Instant.ofEpochMilli(in.readLong());
      case 2:
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
      default:
        throw new IOException("corrupt record stream: event time tag " + tag);
    }
  }

  static void writeTensor(Tensor t, DataOutputView out) throws IOException {
    if (t == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte(1);
    writeShape(t.getShape(), out);
    out.writeByte(t.getDtype() == null ? -1 : t.getDtype().ordinal());
    writeData(t.getData(), out);
  }

  static Tensor readTensor(DataInputView in) throws IOException {
    byte tag = in.readByte();
    if (tag == 0) {
      return null;
    }
    if (tag != 1) {
      throw new IOException("corrupt record stream: tensor tag " + tag);
    }
    List<Integer> shape = readShape(in);
    byte dtype = in.readByte();
    if (dtype < -1 || dtype >= DTYPES.length) {
      throw new IOException("corrupt record stream: dtype " + dtype);
    }
    return new Tensor(shape, dtype == -1 ? null : DTYPES[dtype], readData(in));
  }

  /** A deep copy: its own shape list and data bytes, as a trip through the wire gives. */
  static Tensor copyTensor(Tensor t) {
    if (t == null) {
      return null;
    }
    List<Integer> shape = t.getShape() == null ? null : new GenericData.Array<>(SHAPE_SCHEMA, t.getShape());
    ByteBuffer data = null;
    if (t.getData() != null) {
      byte[] bytes = new byte[t.getData().remaining()];
      t.getData().duplicate().get(bytes);
      data = ByteBuffer.wrap(bytes);
    }
    return new Tensor(shape, t.getDtype(), data);
  }

  private static void writeShape(List<Integer> shape, DataOutputView out) throws IOException {
    if (shape == null) {
      out.writeInt(-1);
      return;
    }
    int n = shape.size();
    out.writeInt(n);
    // shape.contains(null) may throw for immutable lists (List.of) instead of answering
    boolean nulls = false;
    for (Integer d : shape) {
      nulls |= d == null;
    }
    out.writeBoolean(nulls);
    for (Integer d : shape) {
      if (nulls) {
        out.writeBoolean(d != null);
      }
      out.writeInt(d == null ? 0 : d);
    }
  }

  private static List<Integer> readShape(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n == -1) {
      return null;
    }
    if (n < 0) {
      throw new IOException("corrupt record stream: shape of " + n + " dimensions");
    }
    boolean nulls = in.readBoolean();
    GenericData.Array<Integer> shape = new GenericData.Array<>(n, SHAPE_SCHEMA);
    for (int d = 0; d < n; d++) {
      boolean present = !nulls || in.readBoolean();
      int v = in.readInt();
      shape.add(present ? Integer.valueOf(v) : null);
    }
    return shape;
  }

  /** The buffer's remaining bytes, from its position, which is left as it was. */
  private static void writeData(ByteBuffer data, DataOutputView out) throws IOException {
    if (data == null) {
      out.writeInt(-1);
      return;
    }
    int n = data.remaining();
    out.writeInt(n);
    if (data.hasArray()) {
      out.write(data.array(), data.arrayOffset() + data.position(), n);
      return;
    }
    ByteBuffer src = data.duplicate();
    byte[] chunk = new byte[Math.min(n, CHUNK)];
    while (src.hasRemaining()) {
      int k = Math.min(chunk.length, src.remaining());
      src.get(chunk, 0, k);
      out.write(chunk, 0, k);
    }
  }

  private static ByteBuffer readData(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n == -1) {
      return null;
    }
    if (n < 0) {
      throw new IOException("corrupt record stream: data of " + n + " bytes");
    }
    byte[] bytes = new byte[n];
    in.readFully(bytes);
    return ByteBuffer.wrap(bytes);
  }
}
