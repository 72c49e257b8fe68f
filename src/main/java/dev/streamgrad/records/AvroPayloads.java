package dev.streamgrad.records;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
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
  private AvroPayloads() {}

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
    BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(model, model.getSchema(type));
    try {
      return decoder.decode(bytes);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
        | ClassCastException | IllegalArgumentException | UnsupportedOperationException e) {
      throw new InvalidRecordException("cannot decode " + bytes.length + " bytes as " + type.getSimpleName()
          + ": " + e, e);
    }
  }
}
