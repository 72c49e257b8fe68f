package dev.streamgrad.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker {@code C3 01}, 8-byte schema fingerprint, binary body) of the
 * generated records: the payload of a dead letter, readable by any Avro implementation that knows
 * the schema, and the decoding of such bytes with a precise reason when they are not a record.
 */
public final class AvroPayloads {
  /** Marker (2 bytes) and schema fingerprint (8 bytes) before the body. */
  private static final int HEADER = 10;

  private AvroPayloads() {}

  /** The little-endian CRC-64-AVRO fingerprint in a single-object header. */
  private static long fingerprint(byte[] b) {
    long f = 0;
    for (int k = 9; k >= 2; k--) {
      f = (f << 8) | (b[k] & 0xff);
    }
    return f;
  }

  /**
   * The single-object encoding of {@code record}, or null when it cannot be encoded (a required
   * field is null): a dead letter then carries its reason and key without a payload.
   */
  public static ByteBuffer encodeOrNull(SpecificRecord record) {
    if (record == null) {
      return null;
    }
    try {
      return encode(record);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The single-object encoding of {@code record}. */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> ByteBuffer encode(T record) throws IOException {
    BinaryMessageEncoder<T> encoder = new BinaryMessageEncoder<>(
        SpecificData.getForClass(record.getClass()), record.getSchema());
    return encoder.encode(record);
  }

  /**
   * Decodes single-object encoded bytes as a {@code type} record.
   *
   * @throws InvalidRecordException with the reason when the bytes are not such a record (bad marker,
   *     unknown fingerprint, truncated or corrupt body, trailing bytes)
   */
  public static <T extends SpecificRecord> T decode(byte[] bytes, Class<T> type) throws InvalidRecordException {
    if (bytes == null) {
      throw new InvalidRecordException("payload is missing (null)");
    }
    SpecificData model = SpecificData.getForClass(type);
    Schema schema = model.getSchema(type);
    if (bytes.length >= HEADER && bytes[0] == (byte) 0xC3 && bytes[1] == (byte) 0x01
        && fingerprint(bytes) == SchemaNormalization.parsingFingerprint64(schema)) {
      // the body is ours to check: bound every length before Avro's reader trusts it
      try {
        AvroBinaryCheck.check(schema, bytes, HEADER);
      } catch (InvalidRecordException e) {
        throw new InvalidRecordException("cannot decode " + bytes.length + " bytes as " + type.getSimpleName()
            + ": " + e.reason(), e);
      }
    }
    BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(model, schema);
    try {
      return decoder.decode(bytes);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
        | ClassCastException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new InvalidRecordException("cannot decode " + bytes.length + " bytes as " + type.getSimpleName()
          + ": " + e, e);
    }
  }
}
