package dev.streamgrad.records;

import org.apache.avro.Schema;

/**
 * Walks Avro binary data against its schema before Avro's reader does, checking every length,
 * count, enum index and union branch against the bytes actually present.
 *
 * <p>Why: Avro's reader trusts the lengths and counts in the data and allocates or loops
 * accordingly, so a single corrupted count in a 200-byte message made it spend seconds (and could
 * allocate gigabytes). After this walk every length fits in the message. Used for dead-letter
 * payloads and for Kafka values alike.
 */
public final class AvroBinaryCheck {
  private final byte[] buf;
  private final int limit;
  /** Whether to build the field paths that messages name (only when a first, fast walk failed). */
  private final boolean named;
  private int pos;

  private AvroBinaryCheck(byte[] buf, int offset, int limit, boolean named) {
    this.buf = buf;
    this.pos = offset;
    this.limit = limit;
    this.named = named;
  }

  /** Checks that {@code buf[offset..]} is exactly one datum of {@code schema}; the reason otherwise. */
  public static void check(Schema schema, byte[] buf, int offset) throws InvalidRecordException {
    int end = datumEnd(schema, buf, offset, buf.length);
    if (end != buf.length) {
      throw new InvalidRecordException((buf.length - end) + " trailing bytes after a complete "
          + schema.getName());
    }
  }

  /**
   * Walks one datum of {@code schema} starting at {@code buf[offset]} and ending at or before
   * {@code buf[limit]} (in a container file's block, where datums follow each other).
   *
   * @return the offset just past the datum
   * @throws InvalidRecordException naming the field (its path) whose length, count or index does not fit
   */
  public static int datumEnd(Schema schema, byte[] buf, int offset, int limit) throws InvalidRecordException {
    AvroBinaryCheck fast = new AvroBinaryCheck(buf, offset, limit, false);
    try {
      fast.walk(schema, null, 0);
      return fast.pos;
    } catch (InvalidRecordException e) {
      // walk again, naming every field on the way, for the message
      new AvroBinaryCheck(buf, offset, limit, true).walk(schema, schema.getName(), 0);
      throw e;
    }
  }

  private String sub(String path, String part) {
    return named ? path + part : null;
  }

  private void walk(Schema s, String path, int depth) throws InvalidRecordException {
    if (depth > 64) {
      throw new InvalidRecordException(path + ": nested deeper than 64 levels");
    }
    switch (s.getType()) {
      case NULL:
        return;
      case BOOLEAN: {
        int b = need(1, path);
        if (b > 1) {
          throw new InvalidRecordException(path + ": boolean byte " + b + " is not 0 or 1");
        }
        return;
      }
      case INT:
      case LONG:
        varint(path);
        return;
      case FLOAT:
        skip(4, path);
        return;
      case DOUBLE:
        skip(8, path);
        return;
      case FIXED:
        skip(s.getFixedSize(), path);
        return;
      case STRING:
      case BYTES: {
        long n = varint(path);
        if (n < 0 || n > remaining()) {
          throw new InvalidRecordException(path + ": length " + n + " but " + remaining() + " bytes remain");
        }
        pos += (int) n;
        return;
      }
      case ENUM: {
        long i = varint(path);
        if (i < 0 || i >= s.getEnumSymbols().size()) {
          throw new InvalidRecordException(path + ": enum index " + i + " outside 0.." + (s.getEnumSymbols().size() - 1));
        }
        return;
      }
      case UNION: {
        long i = varint(path);
        if (i < 0 || i >= s.getTypes().size()) {
          throw new InvalidRecordException(path + ": union branch " + i + " outside 0.." + (s.getTypes().size() - 1));
        }
        walk(s.getTypes().get((int) i), path, depth + 1);
        return;
      }
      case RECORD:
        for (Schema.Field f : s.getFields()) {
          walk(f.schema(), sub(path, "." + f.name()), depth + 1);
        }
        return;
      case ARRAY:
      case MAP:
        blocks(s, path, depth);
        return;
      default:
        throw new InvalidRecordException(path + ": unsupported type " + s.getType());
    }
  }

  private void blocks(Schema s, String path, int depth) throws InvalidRecordException {
    Schema item = s.getType() == Schema.Type.ARRAY ? s.getElementType() : s.getValueType();
    int min = minSize(item, 0) + (s.getType() == Schema.Type.MAP ? 1 : 0);
    while (true) {
      long count = varint(path);
      if (count == 0) {
        return;
      }
      if (count < 0) {
        count = -count;
        varint(path); // the block's byte size
      }
      if (count > Integer.MAX_VALUE || (min > 0 && count > remaining() / min)) {
        throw new InvalidRecordException(path + ": " + count + " items but " + remaining() + " bytes remain");
      }
      for (long k = 0; k < count; k++) {
        if (s.getType() == Schema.Type.MAP) {
          walk(Schema.create(Schema.Type.STRING), sub(path, "{key}"), depth + 1);
        }
        walk(item, named ? path + "[" + k + "]" : null, depth + 1);
      }
    }
  }

  /** The fewest bytes a datum of {@code s} takes (0 only for null and empty records). */
  private static int minSize(Schema s, int depth) {
    if (depth > 64) {
      return 0;
    }
    switch (s.getType()) {
      case NULL:
        return 0;
      case FLOAT:
        return 4;
      case DOUBLE:
        return 8;
      case FIXED:
        return s.getFixedSize();
      case RECORD: {
        int sum = 0;
        for (Schema.Field f : s.getFields()) {
          sum += minSize(f.schema(), depth + 1);
        }
        return sum;
      }
      default:
        return 1;
    }
  }

  private long varint(String path) throws InvalidRecordException {
    long raw = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = need(1, path);
      raw |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new InvalidRecordException(path + ": variable-length integer longer than 10 bytes");
  }

  private int need(int n, String path) throws InvalidRecordException {
    if (remaining() < n) {
      throw new InvalidRecordException(path + ": truncated, needs " + n + " more bytes at offset " + pos);
    }
    int b = buf[pos] & 0xff;
    pos += n;
    return b;
  }

  private void skip(int n, String path) throws InvalidRecordException {
    need(n, path);
  }

  private int remaining() {
    return limit - pos;
  }
}
