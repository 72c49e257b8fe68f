package dev.streamgrad.kafka;

import org.apache.avro.Schema;

/**
 * Walks Avro binary data against its writer schema and checks every length, count and index
 * against the bytes actually present, before Avro's own reader sees the data.
 *
 * <p>Why: Avro's reader allocates a {@code bytes} or array of the length the data claims before
 * reading it, so one corrupted length in a Kafka value could allocate gigabytes. After this walk
 * every length is at most the message size, and trailing garbage is reported too.
 */
final class AvroBinaryValidator {
  private final byte[] buf;
  private final int end;
  private int pos;

  private AvroBinaryValidator(byte[] buf, int offset, int end) {
    this.buf = buf;
    this.pos = offset;
    this.end = end;
  }

  /** Checks that {@code buf[offset, buf.length)} is exactly one datum of {@code writer}. */
  static void validate(Schema writer, byte[] buf, int offset) throws UndecodableException {
    AvroBinaryValidator v = new AvroBinaryValidator(buf, offset, buf.length);
    v.walk(writer, writer.getName());
    if (v.pos != v.end) {
      throw new UndecodableException(
          (v.end - v.pos) + " trailing bytes after a complete " + writer.getName() + " datum");
    }
  }

  private void walk(Schema s, String path) throws UndecodableException {
    switch (s.getType()) {
      case NULL -> { }
      case BOOLEAN -> {
        int b = need(1, path) & 0xff;
        if (b > 1) {
          throw new UndecodableException(path + ": boolean byte is " + b + ", not 0 or 1");
        }
      }
      case INT -> readInt(path);
      case LONG -> readLong(path);
      case FLOAT -> skip(4, path);
      case DOUBLE -> skip(8, path);
      case FIXED -> skip(s.getFixedSize(), path);
      case STRING, BYTES -> {
        long len = readLong(path);
        if (len < 0) {
          throw new UndecodableException(path + ": negative length " + len);
        }
        skip(len, path);
      }
      case ENUM -> {
        int i = readInt(path);
        if (i < 0 || i >= s.getEnumSymbols().size()) {
          throw new UndecodableException(
              path + ": enum index " + i + " outside " + s.getName() + s.getEnumSymbols());
        }
      }
      case UNION -> {
        int i = readInt(path);
        if (i < 0 || i >= s.getTypes().size()) {
          throw new UndecodableException(
              path + ": union branch " + i + " of " + s.getTypes().size());
        }
        walk(s.getTypes().get(i), path);
      }
      case RECORD -> {
        for (Schema.Field f : s.getFields()) {
          walk(f.schema(), path + "." + f.name());
        }
      }
      case ARRAY -> blocks(s.getElementType(), null, path);
      case MAP -> blocks(s.getValueType(), Schema.create(Schema.Type.STRING), path);
      default -> throw new UndecodableException(path + ": unsupported type " + s.getType());
    }
  }

  /** Array and map items come in blocks: a count (negated when a byte size follows), items, 0. */
  private void blocks(Schema item, Schema key, String path) throws UndecodableException {
    int index = 0;
    while (true) {
      long count = readLong(path);
      if (count == 0) {
        return;
      }
      if (count < 0) {
        count = -count;
        long size = readLong(path);
        if (size < 0 || size > end - pos) {
          throw new UndecodableException(path + ": block size " + size + " with " + (end - pos) + " bytes left");
        }
      }
      // every item of our schemas takes at least one byte; a count beyond the bytes left is corrupt
      if (count > end - pos) {
        throw new UndecodableException(
            path + ": " + count + " items claimed with " + (end - pos) + " bytes left");
      }
      for (long i = 0; i < count; i++, index++) {
        String p = path + "[" + index + "]";
        if (key != null) {
          walk(key, p);
        }
        walk(item, p);
      }
    }
  }

  private int need(int n, String path) throws UndecodableException {
    if (end - pos < n) {
      throw new UndecodableException(path + ": truncated, " + n + " bytes needed, " + (end - pos) + " left");
    }
    int b = buf[pos];
    pos += n;
    return b;
  }

  private void skip(long n, String path) throws UndecodableException {
    if (n > end - pos) {
      throw new UndecodableException(
          path + ": length " + n + " exceeds the " + (end - pos) + " bytes left");
    }
    pos += (int) n;
  }

  private int readInt(String path) throws UndecodableException {
    long v = readVarint(5, path);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new UndecodableException(path + ": int varint out of range");
    }
    return (int) v;
  }

  private long readLong(String path) throws UndecodableException {
    return readVarint(10, path);
  }

  /** Zig-zag varint, at most {@code maxBytes} bytes. */
  private long readVarint(int maxBytes, String path) throws UndecodableException {
    long raw = 0;
    for (int i = 0; i < maxBytes; i++) {
      int b = need(1, path) & 0xff;
      raw |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new UndecodableException(path + ": varint longer than " + maxBytes + " bytes");
  }
}
